// Route tables: DescribeRouteTables (NextToken, MaxResults 5..100), routes and subnet associations.
import { DescribeRouteTablesCommand, type Route } from "@aws-sdk/client-ec2";
import { ec2Links, ec2Resource } from "../../graphql/kit/ec2.js";
import { valueType, type FieldKit } from "../../graphql/kit/fields.js";
import { Ec2Subnet, Ec2Vpc } from "./index.js";

const Ec2Route = valueType("Ec2Route", (f: FieldKit<Route>) => ({
  destination: f.string((r) => r.DestinationCidrBlock ?? r.DestinationIpv6CidrBlock ?? r.DestinationPrefixListId, "a CIDR block or prefix list id"),
  target: f.string(
    (r) => r.GatewayId ?? r.NatGatewayId ?? r.InstanceId ?? r.NetworkInterfaceId ?? r.TransitGatewayId ?? r.VpcPeeringConnectionId,
    "the gateway, NAT gateway, instance, interface or peering it routes to",
  ),
  state: f.string((r) => r.State),
  origin: f.string((r) => r.Origin),
}));

export const Ec2RouteTable = ec2Resource({
  name: "Ec2RouteTable",
  listField: "ec2RouteTables",
  singleField: "ec2RouteTable",
  request: (page) => new DescribeRouteTablesCommand(page),
  pageSize: { min: 5, max: 100 },
  items: (out) => out.RouteTables,
  id: { field: "routeTableId", pattern: /^rtb-[0-9a-f]{8,17}$/, lookup: { filter: "route-table-id" } },
  arn: { type: "route-table" },
  fields: (f) => ({
    routeTableId: f.requiredString((r) => r.RouteTableId ?? ""),
    vpcId: f.string((r) => r.VpcId),
    isMain: f.boolean((r) => r.Associations?.some((a) => a.Main) ?? false, "the VPC's main route table"),
    subnetIds: f.strings((r) => r.Associations?.map((a) => a.SubnetId)),
    routes: f.values(Ec2Route, (r) => r.Routes),
    tags: f.tags((r) => r.Tags),
  }),
  filter: (f) => ({ vpcId: f.value("vpc-id"), subnetId: f.value("association.subnet-id"), isMain: f.flag("association.main"), tags: f.tags() }),
});

ec2Links(Ec2RouteTable, (l) => ({
  vpc: l.one(() => Ec2Vpc, (r) => r.vpcId),
  subnets: l.many(() => Ec2Subnet, (r) => r.subnetIds, "the subnets associated with it"),
}));
