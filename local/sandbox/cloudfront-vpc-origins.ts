import {
  CannotUpdateEntityWhileInUse,
  EntityNotFound,
  InvalidIfMatchVersion,
  PreconditionFailed,
} from "@aws-sdk/client-cloudfront";
import type { SandboxClock } from "./clock.js";
import { vpcOriginEndpointConfigProblem } from "./cloudfront-origin-config.js";
import { page } from "./cloudfront-paging.js";
import { problemError } from "./cloudfront-problems.js";
import { modeled } from "./errors.js";
import type { IdSource } from "./ids.js";
import { copy, type Json } from "./json.js";
import type { StateVpcOrigin } from "./state.js";

interface VpcOriginRecord {
  /** The VPC origin as the scenario gave it (extra members kept), with current ETag, Status and endpoint config. */
  data: StateVpcOrigin;
  created: Date;
  lastModified: Date;
  /** Bumped on each change, so only the latest change's deployment flips Status back to Deployed. */
  version: number;
}

/**
 * CloudFront VPC origins: a private ALB, NLB or EC2 instance CloudFront
 * reaches inside a VPC. The protocol CloudFront speaks to it lives here, not
 * in the distribution, and every change needs the current ETag (IfMatch), as
 * for distributions. CloudFront refuses to change a VPC origin that a
 * distribution uses (409, "Please disassociate the VPC origin from all
 * distributions before updating or deleting", as CloudFormation relays it in
 * aws/aws-cdk#34629 and #35765): it is detached, updated, and attached again.
 */
export class VpcOrigins {
  private readonly origins = new Map<string, VpcOriginRecord>();

  constructor(
    state: readonly StateVpcOrigin[],
    private readonly clock: SandboxClock,
    private readonly ids: IdSource,
    private readonly deployMs: number,
    /** Whether some distribution's origins name this VPC origin. */
    private readonly inUse: (id: string) => boolean = () => false,
  ) {
    for (const origin of state) {
      const { CreatedTime, LastModifiedTime } = origin.VpcOrigin;
      const lastModified = LastModifiedTime ? new Date(LastModifiedTime) : clock.now();
      this.origins.set(origin.VpcOrigin.Id, {
        data: copy(origin),
        created: CreatedTime ? new Date(CreatedTime) : lastModified,
        lastModified,
        version: 0,
      });
    }
  }

  exists(id: string): boolean {
    return this.origins.has(id);
  }

  get(input: Json): Json {
    const record = this.find(input.Id);
    return { VpcOrigin: this.output(record), ETag: record.data.ETag };
  }

  update(input: Json): Json {
    const record = this.find(input.Id);
    const ifMatch = input.IfMatch;
    if (typeof ifMatch !== "string" || ifMatch === "") {
      throw modeled(InvalidIfMatchVersion, "The If-Match version is missing or not valid for the resource.");
    }
    if (ifMatch !== record.data.ETag) {
      throw modeled(
        PreconditionFailed,
        "The request failed because it didn't meet the preconditions in one or more request-header fields.",
        412,
      );
    }
    if (this.inUse(record.data.VpcOrigin.Id)) {
      throw modeled(
        CannotUpdateEntityWhileInUse,
        "The specified VPC origin is currently associated with one or more distributions. Please disassociate the VPC origin from all distributions before updating or deleting",
        409,
      );
    }
    const config = input.VpcOriginEndpointConfig;
    const problem = vpcOriginEndpointConfigProblem(config);
    if (problem) throw problemError(problem, "VpcOriginEndpointConfig");
    record.data.VpcOrigin.VpcOriginEndpointConfig = copy(
      config as StateVpcOrigin["VpcOrigin"]["VpcOriginEndpointConfig"],
    );
    this.changed(record);
    return { VpcOrigin: this.output(record), ETag: record.data.ETag };
  }

  list(input: Json): Json {
    const found = page([...this.origins.values()], (r) => r.data.VpcOrigin.Id, input, "a VPC origin id");
    const list: Json = {
      Marker: found.marker,
      MaxItems: found.maxItems,
      IsTruncated: found.truncated,
      Quantity: found.items.length,
    };
    if (found.nextMarker) list.NextMarker = found.nextMarker;
    if (found.items.length) list.Items = found.items.map((r) => this.summary(r));
    return { VpcOriginList: list };
  }

  /** VPC origins in the scenario `state` shape, with their current ETag, Status and times. */
  snapshot(): StateVpcOrigin[] {
    return [...this.origins.values()].map((r) => {
      const data = copy(r.data);
      data.VpcOrigin.CreatedTime = r.created.toISOString();
      data.VpcOrigin.LastModifiedTime = r.lastModified.toISOString();
      return data;
    });
  }

  private find(id: unknown): VpcOriginRecord {
    const record = typeof id === "string" ? this.origins.get(id) : undefined;
    if (!record) throw modeled(EntityNotFound, `The entity was not found: VPC origin '${String(id)}'.`, 404);
    return record;
  }

  private changed(record: VpcOriginRecord): void {
    const version = ++record.version;
    record.data.ETag = `E${this.ids.alnum("etag", 13)}`;
    record.data.VpcOrigin.Status = "Deploying";
    record.lastModified = this.clock.now();
    this.clock.after(this.deployMs, () => {
      if (record.version === version) record.data.VpcOrigin.Status = "Deployed";
    });
  }

  private output(record: VpcOriginRecord): Json {
    const origin = record.data.VpcOrigin;
    return {
      Id: origin.Id,
      Arn: origin.Arn,
      ...(origin.AccountId === undefined ? {} : { AccountId: origin.AccountId }),
      Status: origin.Status,
      CreatedTime: new Date(record.created),
      LastModifiedTime: new Date(record.lastModified),
      VpcOriginEndpointConfig: copy(origin.VpcOriginEndpointConfig),
    };
  }

  private summary(record: VpcOriginRecord): Json {
    const origin = record.data.VpcOrigin;
    const config = origin.VpcOriginEndpointConfig as Json;
    return {
      Id: origin.Id,
      Name: config.Name,
      Status: origin.Status,
      CreatedTime: new Date(record.created),
      LastModifiedTime: new Date(record.lastModified),
      Arn: origin.Arn,
      ...(origin.AccountId === undefined ? {} : { AccountId: origin.AccountId }),
      OriginEndpointArn: config.Arn,
      ...(config.IpAddressType === undefined ? {} : { IpAddressType: config.IpAddressType }),
    };
  }
}
