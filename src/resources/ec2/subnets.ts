// Subnets: DescribeSubnets (NextToken, MaxResults 5..1000).
import { DescribeSubnetsCommand } from "@aws-sdk/client-ec2";
import { ec2Links, ec2Resource } from "../../graphql/kit/ec2.js";
import { Ec2Instance, Ec2Vpc } from "./index.js";

export const Ec2Subnet = ec2Resource({
  name: "Ec2Subnet",
  listField: "ec2Subnets",
  singleField: "ec2Subnet",
  request: (page) => new DescribeSubnetsCommand(page),
  pageSize: { min: 5, max: 1000 },
  items: (out) => out.Subnets,
  id: { field: "subnetId", pattern: /^subnet-[0-9a-f]{8,17}$/, lookup: { filter: "subnet-id" } },
  arn: { type: "subnet" },
  fields: (f) => ({
    subnetId: f.requiredString((s) => s.SubnetId ?? ""),
    vpcId: f.requiredString((s) => s.VpcId ?? ""),
    cidrBlock: f.string((s) => s.CidrBlock),
    availabilityZone: f.string((s) => s.AvailabilityZone),
    availableIpAddressCount: f.int((s) => s.AvailableIpAddressCount),
    mapPublicIpOnLaunch: f.boolean((s) => s.MapPublicIpOnLaunch),
    tags: f.tags((s) => s.Tags),
  }),
  filter: (f) => ({ availabilityZones: f.values("availability-zone"), tags: f.tags() }),
  listArguments: (f) => ({ vpcId: f.value("vpc-id") }),
});

ec2Links(Ec2Subnet, (l) => ({
  vpc: l.one(() => Ec2Vpc, (s) => s.vpcId),
  instances: l.under(() => Ec2Instance, "subnet-id", (s) => s.subnetId),
}));
