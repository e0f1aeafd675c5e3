// EBS volumes: DescribeVolumes (NextToken, MaxResults 5..500).
import { DescribeVolumesCommand } from "@aws-sdk/client-ec2";
import { ec2Links, ec2Resource } from "../../graphql/kit/ec2.js";
import { Ec2Instance, Ec2Snapshot } from "./index.js";

export const Ec2Volume = ec2Resource({
  name: "Ec2Volume",
  listField: "ec2Volumes",
  singleField: "ec2Volume",
  request: (page) => new DescribeVolumesCommand(page),
  pageSize: { min: 5, max: 500 },
  items: (out) => out.Volumes,
  id: { field: "volumeId", pattern: /^vol-[0-9a-f]{8,17}$/, lookup: { filter: "volume-id" } },
  arn: { type: "volume" },
  fields: (f) => ({
    volumeId: f.requiredString((v) => v.VolumeId ?? ""),
    size: f.int((v) => v.Size, "GiB"),
    state: f.string((v) => v.State),
    volumeType: f.string((v) => v.VolumeType),
    availabilityZone: f.string((v) => v.AvailabilityZone),
    createTime: f.date((v) => v.CreateTime),
    encrypted: f.boolean((v) => v.Encrypted),
    iops: f.int((v) => v.Iops),
    snapshotId: f.string((v) => v.SnapshotId || undefined, "the snapshot it was created from"),
    attachedInstanceIds: f.strings((v) => v.Attachments?.map((a) => a.InstanceId)),
    tags: f.tags((v) => v.Tags),
  }),
  filter: (f) => ({
    states: f.values("status", "creating | available | in-use | deleting | deleted | error"),
    volumeTypes: f.values("volume-type"),
    attachedInstanceId: f.value("attachment.instance-id", "only volumes attached to this instance"),
    availabilityZone: f.value("availability-zone"),
    encrypted: f.flag("encrypted"),
    tags: f.tags(),
  }),
});

ec2Links(Ec2Volume, (l) => ({
  instance: l.one(() => Ec2Instance, (v) => v.attachedInstanceIds[0], "the instance the volume is attached to, if any"),
  snapshots: l.under(() => Ec2Snapshot, "volume-id", (v) => v.volumeId, "the account's snapshots of this volume"),
}));
