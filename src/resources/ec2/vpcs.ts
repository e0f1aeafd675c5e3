// VPCs: DescribeVpcs (NextToken, MaxResults 5..1000), and what lives in each.
import { DescribeVpcsCommand } from "@aws-sdk/client-ec2";
import { ec2Links, ec2Resource } from "../../graphql/kit/ec2.js";
import { Ec2Instance, Ec2InternetGateway, Ec2NatGateway, Ec2RouteTable, Ec2SecurityGroup, Ec2Subnet } from "./index.js";

export const Ec2Vpc = ec2Resource({
  name: "Ec2Vpc",
  listField: "ec2Vpcs",
  singleField: "ec2Vpc",
  request: (page) => new DescribeVpcsCommand(page),
  pageSize: { min: 5, max: 1000 },
  items: (out) => out.Vpcs,
  id: { field: "vpcId", pattern: /^vpc-[0-9a-f]{8,17}$/, lookup: { filter: "vpc-id" } },
  arn: { type: "vpc" },
  fields: (f) => ({
    vpcId: f.requiredString((v) => v.VpcId ?? ""),
    cidrBlock: f.string((v) => v.CidrBlock),
    isDefault: f.boolean((v) => v.IsDefault),
    state: f.string((v) => v.State),
    tags: f.tags((v) => v.Tags),
  }),
  filter: (f) => ({ isDefault: f.flag("is-default"), cidrBlocks: f.values("cidr-block"), tags: f.tags() }),
});

ec2Links(Ec2Vpc, (l) => ({
  subnets: l.under(() => Ec2Subnet, "vpc-id", (v) => v.vpcId),
  instances: l.under(() => Ec2Instance, "vpc-id", (v) => v.vpcId),
  securityGroups: l.under(() => Ec2SecurityGroup, "vpc-id", (v) => v.vpcId),
  natGateways: l.under(() => Ec2NatGateway, "vpc-id", (v) => v.vpcId),
  routeTables: l.under(() => Ec2RouteTable, "vpc-id", (v) => v.vpcId),
  internetGateways: l.under(() => Ec2InternetGateway, "attachment.vpc-id", (v) => v.vpcId),
}));
