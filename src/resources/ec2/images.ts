// The account's own AMIs: DescribeImages Owners=[self] (NextToken, MaxResults 5..1000).
import { DescribeImagesCommand } from "@aws-sdk/client-ec2";
import { ec2Links, ec2Resource } from "../../graphql/kit/ec2.js";
import { Ec2Instance, Ec2Snapshot } from "./index.js";

export const Ec2Image = ec2Resource({
  name: "Ec2Image",
  listField: "ec2Images",
  singleField: "ec2Image",
  request: (page) => new DescribeImagesCommand({ ...page, Owners: ["self"] }),
  pageSize: { min: 5, max: 1000 },
  items: (out) => out.Images,
  id: { field: "imageId", pattern: /^ami-[0-9a-f]{8,17}$/, lookup: { filter: "image-id" } },
  arn: { type: "image", withoutAccount: true },
  fields: (f) => ({
    imageId: f.requiredString((i) => i.ImageId ?? ""),
    name: f.string((i) => i.Name),
    description: f.string((i) => i.Description),
    state: f.string((i) => i.State),
    architecture: f.string((i) => i.Architecture),
    platform: f.string((i) => i.PlatformDetails),
    creationDate: f.string((i) => i.CreationDate),
    public: f.boolean((i) => i.Public),
    rootDeviceType: f.string((i) => i.RootDeviceType),
    snapshotIds: f.strings((i) => i.BlockDeviceMappings?.map((b) => b.Ebs?.SnapshotId)),
    tags: f.tags((i) => i.Tags),
  }),
  filter: (f) => ({ names: f.values("name"), states: f.values("state"), architectures: f.values("architecture"), tags: f.tags() }),
});

ec2Links(Ec2Image, (l) => ({
  snapshots: l.many(() => Ec2Snapshot, (i) => i.snapshotIds, "the snapshots behind its block devices"),
  instances: l.under(() => Ec2Instance, "image-id", (i) => i.imageId, "instances launched from it"),
}));
