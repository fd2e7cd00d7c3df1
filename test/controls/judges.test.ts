import { describe, expect, it } from "vitest";
import { judgeById, judges } from "../../functions/controls/judges.js";
import { controlById, controls } from "../../functions/controls/registry.js";

/** The verify step's judges and the registry's controls are the same controls, judging the same way. */
describe("the judges of the verify step", () => {
  it("name exactly the registry's controls, in its order", () => {
    // Act
    const ids = judges.map((judge) => judge.metadata.id);

    // Assess
    expect(ids).toEqual(controls.map((control) => control.metadata.id));
  });

  it.each(controls.map((control) => control.metadata.id))(
    "%s reads and judges with the control's own functions",
    (id) => {
      // Act
      const judge = judgeById(id);
      const control = controlById(id);

      // Assess
      expect(judge.metadata).toBe(control.metadata);
      expect(judge.collect).toBe(control.collect);
      expect(judge.detect).toBe(control.detect);
    },
  );

  it("refuses an unknown control by name", () => {
    // Act
    const refused = (() => {
      try {
        return judgeById("alb-http-to-http-redirect");
      } catch (error) {
        return error as Error;
      }
    })();

    // Assess
    expect((refused as Error).name).toBe("UnknownControlError");
  });
});
