// The account's own EBS snapshots: DescribeSnapshots OwnerIds=[self] (NextToken, MaxResults 5..1000).
import { DescribeSnapshotsCommand } from "@aws-sdk/client-ec2";
import { ec2Links, ec2Resource } from "../../graphql/kit/ec2.js";
import { Ec2Volume } from "./index.js";

export const Ec2Snapshot = ec2Resource({
  name: "Ec2Snapshot",
  listField: "ec2Snapshots",
  singleField: "ec2Snapshot",
  request: (page) => new DescribeSnapshotsCommand({ ...page, OwnerIds: ["self"] }),
  pageSize: { min: 5, max: 1000 },
  items: (out) => out.Snapshots,
  id: { field: "snapshotId", pattern: /^snap-[0-9a-f]{8,17}$/, lookup: { filter: "snapshot-id" } },
  arn: { type: "snapshot", withoutAccount: true },
  fields: (f) => ({
    snapshotId: f.requiredString((s) => s.SnapshotId ?? ""),
    volumeId: f.string((s) => s.VolumeId),
    state: f.string((s) => s.State),
    startTime: f.date((s) => s.StartTime),
    volumeSize: f.int((s) => s.VolumeSize, "GiB"),
    encrypted: f.boolean((s) => s.Encrypted),
    description: f.string((s) => s.Description),
    progress: f.string((s) => s.Progress),
    tags: f.tags((s) => s.Tags),
  }),
  filter: (f) => ({ states: f.values("status", "pending | completed | error"), volumeId: f.value("volume-id"), tags: f.tags() }),
});

ec2Links(Ec2Snapshot, (l) => ({ volume: l.one(() => Ec2Volume, (s) => s.volumeId, "the volume it was taken of, while that volume exists") }));
