import {
  type DistributionConfig,
  InvalidIfMatchVersion,
  NoSuchDistribution,
  NoSuchResource,
  PreconditionFailed,
} from "@aws-sdk/client-cloudfront";
import type { MetadataBearer } from "@smithy/types";
import { useClientPlugin } from "../../../functions/lib/aws.js";

export interface FakeDistribution {
  id: string;
  arn: string;
  status: string;
  etag: string;
  config: DistributionConfig;
  tags: Record<string, string>;
}

export interface RecordedCall {
  command: string;
  input: Record<string, unknown>;
}

const metadata = { $metadata: { httpStatusCode: 200 } };

/**
 * Just enough of CloudFront for the control: distributions with ETags, where a
 * write must carry the ETag of the version it was based on (IfMatch) and every
 * accepted write issues a new ETag, as the real service does.
 */
export class FakeCloudFront {
  readonly distributions = new Map<string, FakeDistribution>();
  readonly calls: RecordedCall[] = [];
  /** Called inside each UpdateDistribution before IfMatch is checked: someone else's write landing first. */
  beforeUpdate: ((distribution: FakeDistribution) => void) | undefined;
  /** Makes the next matching call throw this error (e.g. Throttling) instead of answering. */
  failNext: { command: string; error: Error } | undefined;
  pageSize = 100;
  private version = 0;

  constructor(private readonly account = "111122223333") {}

  add(id: string, config: DistributionConfig, extra: Partial<Omit<FakeDistribution, "id" | "config">> = {}) {
    const distribution: FakeDistribution = {
      id,
      arn: `arn:aws:cloudfront::${this.account}:distribution/${id}`,
      status: "Deployed",
      etag: this.nextEtag(),
      tags: {},
      ...extra,
      config: structuredClone(config),
    };
    this.distributions.set(id, distribution);
    return distribution;
  }

  get(id: string): FakeDistribution {
    const distribution = this.distributions.get(id);
    if (!distribution) throw new Error(`test setup: no distribution ${id}`);
    return distribution;
  }

  /** Someone else's write: change the configuration and issue a new ETag. */
  edit(id: string, change: (config: DistributionConfig) => void): void {
    const distribution = this.get(id);
    change(distribution.config);
    distribution.etag = this.nextEtag();
    distribution.status = "InProgress";
  }

  commands(): string[] {
    return this.calls.map((call) => call.command);
  }

  /** Registers the fake under every CloudFront client the code creates; returns the unregister function. */
  install(): () => void {
    return useClientPlugin({
      plugin: ({ service }) => ({
        applyToStack: (stack) => {
          if (service !== "cloudfront") return;
          stack.add(
            (_next, context) => async (args) => {
              const command = String(context.commandName ?? "").replace(/Command$/, "");
              const output = this.handle(command, args.input as Record<string, unknown>);
              return { output, response: {} };
            },
            { step: "initialize", name: "fakeCloudFront", priority: "high" },
          );
        },
      }),
      config: { credentials: { accessKeyId: "AKIDFAKE", secretAccessKey: "fake" } },
    });
  }

  private nextEtag(): string {
    this.version += 1;
    return `E${String(this.version).padStart(4, "0")}FAKE`;
  }

  private find(id: unknown): FakeDistribution {
    const distribution = typeof id === "string" ? this.distributions.get(id) : undefined;
    if (!distribution) {
      throw new NoSuchDistribution({ message: "The specified distribution does not exist.", ...metadata });
    }
    return distribution;
  }

  private handle(command: string, input: Record<string, unknown>): MetadataBearer & Record<string, unknown> {
    this.calls.push({ command, input: structuredClone(input) });
    if (this.failNext?.command === command) {
      const { error } = this.failNext;
      this.failNext = undefined;
      throw error;
    }
    switch (command) {
      case "GetDistribution": {
        const d = this.find(input.Id);
        return {
          ...metadata,
          ETag: d.etag,
          Distribution: {
            Id: d.id,
            ARN: d.arn,
            Status: d.status,
            LastModifiedTime: new Date("2026-03-01T09:00:00Z"),
            InProgressInvalidationBatches: 0,
            DomainName: `${d.id.toLowerCase()}.cloudfront.net`,
            DistributionConfig: structuredClone(d.config),
          },
        };
      }
      case "GetDistributionConfig": {
        const d = this.find(input.Id);
        return { ...metadata, ETag: d.etag, DistributionConfig: structuredClone(d.config) };
      }
      case "UpdateDistribution": {
        const d = this.find(input.Id);
        this.beforeUpdate?.(d);
        if (typeof input.IfMatch !== "string" || input.IfMatch.length === 0) {
          throw new InvalidIfMatchVersion({
            message: "The If-Match version is missing or not valid.",
            ...metadata,
          });
        }
        if (input.IfMatch !== d.etag) {
          throw new PreconditionFailed({
            message: "The precondition in one or more of the request fields evaluated to false.",
            ...metadata,
          });
        }
        d.config = structuredClone(input.DistributionConfig as DistributionConfig);
        d.etag = this.nextEtag();
        d.status = "InProgress";
        return {
          ...metadata,
          ETag: d.etag,
          Distribution: {
            Id: d.id,
            ARN: d.arn,
            Status: d.status,
            DistributionConfig: structuredClone(d.config),
          },
        };
      }
      case "ListDistributions": {
        const all = [...this.distributions.values()];
        const start = typeof input.Marker === "string" && input.Marker ? Number(input.Marker) : 0;
        const page = all.slice(start, start + this.pageSize);
        const next = start + page.length;
        const truncated = next < all.length;
        return {
          ...metadata,
          DistributionList: {
            Marker: String(input.Marker ?? ""),
            MaxItems: this.pageSize,
            IsTruncated: truncated,
            ...(truncated ? { NextMarker: String(next) } : {}),
            Quantity: page.length,
            Items: page.map((d) => ({ Id: d.id, ARN: d.arn, Status: d.status })),
          },
        };
      }
      case "ListTagsForResource": {
        const d = [...this.distributions.values()].find((candidate) => candidate.arn === input.Resource);
        if (!d) throw new NoSuchResource({ message: "The specified resource does not exist.", ...metadata });
        const items = Object.entries(d.tags).map(([Key, Value]) => ({ Key, Value }));
        return { ...metadata, Tags: { Items: items } };
      }
      default:
        throw new Error(`fake CloudFront does not implement ${command}`);
    }
  }
}
