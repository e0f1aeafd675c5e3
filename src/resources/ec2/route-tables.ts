// Route tables: DescribeRouteTables (NextToken, MaxResults 5..100), routes and subnet associations.
import { DescribeRouteTablesCommand, type Route } from "@aws-sdk/client-ec2";
import { builder } from "../../graphql/builder.js";
import { ec2Links, ec2Resource } from "../../graphql/kit/ec2.js";
import { Ec2Subnet, Ec2Vpc } from "./index.js";

type RouteModel = {
  destination?: string;
  target?: string;
  state?: string;
  origin?: string;
};

const routeModels = (routes: Route[] | undefined): RouteModel[] =>
  (routes ?? []).map((r) => ({
    destination: r.DestinationCidrBlock ?? r.DestinationIpv6CidrBlock ?? r.DestinationPrefixListId,
    target: r.GatewayId ?? r.NatGatewayId ?? r.InstanceId ?? r.NetworkInterfaceId ?? r.TransitGatewayId ?? r.VpcPeeringConnectionId,
    state: r.State,
    origin: r.Origin,
  }));

const Ec2Route = builder.objectRef<RouteModel>("Ec2Route").implement({
  fields: (t) => ({
    destination: t.exposeString("destination", { nullable: true, description: "a CIDR block or prefix list id" }),
    target: t.exposeString("target", { nullable: true, description: "the gateway, NAT gateway, instance, interface or peering it routes to" }),
    state: t.exposeString("state", { nullable: true }),
    origin: t.exposeString("origin", { nullable: true }),
  }),
});

export const Ec2RouteTable = ec2Resource({
  name: "Ec2RouteTable",
  listField: "ec2RouteTables",
  singleField: "ec2RouteTable",
  request: (page) => new DescribeRouteTablesCommand(page),
  pageSize: { min: 5, max: 100 },
  items: (out) => out.RouteTables,
  id: { field: "routeTableId", pattern: /^rtb-[0-9a-f]{8,17}$/, lookup: { filter: "route-table-id" } },
  fields: (f) => ({
    routeTableId: f.requiredString((r) => r.RouteTableId ?? ""),
    vpcId: f.string((r) => r.VpcId),
    isMain: f.boolean((r) => r.Associations?.some((a) => a.Main) ?? false, "the VPC's main route table"),
    subnetIds: f.strings((r) => r.Associations?.map((a) => a.SubnetId)),
    routes: f.objects(Ec2Route, (r) => routeModels(r.Routes)),
    tags: f.tags((r) => r.Tags),
  }),
  filter: (f) => ({ vpcId: f.value("vpc-id"), subnetId: f.value("association.subnet-id"), isMain: f.flag("association.main"), tags: f.tags() }),
});

ec2Links(Ec2RouteTable, (l) => ({
  vpc: l.one(() => Ec2Vpc, (r) => r.vpcId),
  subnets: l.many(() => Ec2Subnet, (r) => r.subnetIds, "the subnets associated with it"),
}));
