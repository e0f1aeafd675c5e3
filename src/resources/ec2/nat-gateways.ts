// NAT gateways: DescribeNatGateways (NextToken, MaxResults 5..1000; its filters are `Filter`).
import { DescribeNatGatewaysCommand } from "@aws-sdk/client-ec2";
import { ec2Links, ec2Resource } from "../../graphql/kit/ec2.js";
import { Ec2Subnet, Ec2Vpc } from "./index.js";

export const Ec2NatGateway = ec2Resource({
  name: "Ec2NatGateway",
  listField: "ec2NatGateways",
  singleField: "ec2NatGateway",
  request: ({ Filters, ...page }) => new DescribeNatGatewaysCommand({ ...page, Filter: Filters }),
  pageSize: { min: 5, max: 1000 },
  items: (out) => out.NatGateways,
  id: { field: "natGatewayId", pattern: /^nat-[0-9a-f]{8,17}$/, lookup: { filter: "nat-gateway-id" } },
  arn: { type: "natgateway" },
  fields: (f) => ({
    natGatewayId: f.requiredString((n) => n.NatGatewayId ?? ""),
    state: f.string((n) => n.State),
    connectivityType: f.string((n) => n.ConnectivityType),
    createTime: f.date((n) => n.CreateTime),
    vpcId: f.string((n) => n.VpcId),
    subnetId: f.string((n) => n.SubnetId),
    publicIps: f.strings((n) => n.NatGatewayAddresses?.map((a) => a.PublicIp)),
    privateIps: f.strings((n) => n.NatGatewayAddresses?.map((a) => a.PrivateIp)),
    tags: f.tags((n) => n.Tags),
  }),
  filter: (f) => ({ states: f.values("state"), vpcId: f.value("vpc-id"), subnetId: f.value("subnet-id"), tags: f.tags() }),
});

ec2Links(Ec2NatGateway, (l) => ({ vpc: l.one(() => Ec2Vpc, (n) => n.vpcId), subnet: l.one(() => Ec2Subnet, (n) => n.subnetId) }));
