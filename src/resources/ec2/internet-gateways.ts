// Internet gateways: DescribeInternetGateways (NextToken, MaxResults 5..1000).
import { DescribeInternetGatewaysCommand } from "@aws-sdk/client-ec2";
import { ec2Links, ec2Resource } from "../../graphql/kit/ec2.js";
import { Ec2Vpc } from "./index.js";

export const Ec2InternetGateway = ec2Resource({
  name: "Ec2InternetGateway",
  listField: "ec2InternetGateways",
  singleField: "ec2InternetGateway",
  request: (page) => new DescribeInternetGatewaysCommand(page),
  pageSize: { min: 5, max: 1000 },
  items: (out) => out.InternetGateways,
  id: { field: "internetGatewayId", pattern: /^igw-[0-9a-f]{8,17}$/, lookup: { filter: "internet-gateway-id" } },
  arn: { type: "internet-gateway" },
  fields: (f) => ({
    internetGatewayId: f.requiredString((g) => g.InternetGatewayId ?? ""),
    vpcIds: f.strings((g) => g.Attachments?.map((a) => a.VpcId)),
    tags: f.tags((g) => g.Tags),
  }),
  filter: (f) => ({ vpcId: f.value("attachment.vpc-id"), tags: f.tags() }),
});

ec2Links(Ec2InternetGateway, (l) => ({ vpcs: l.many(() => Ec2Vpc, (g) => g.vpcIds, "the VPCs it is attached to") }));
