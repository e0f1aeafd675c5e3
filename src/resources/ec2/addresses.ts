// Elastic IPs: DescribeAddresses, which AWS answers in one page; the gateway pages over it.
import { DescribeAddressesCommand } from "@aws-sdk/client-ec2";
import { ec2Links, ec2Resource } from "../../graphql/kit/ec2.js";
import { Ec2Instance, Ec2NetworkInterface } from "./index.js";

export const Ec2Address = ec2Resource({
  name: "Ec2Address",
  listField: "ec2Addresses",
  singleField: "ec2Address",
  request: (page) => new DescribeAddressesCommand(page),
  pageSize: "unpaged",
  items: (out) => out.Addresses,
  id: { field: "allocationId", pattern: /^eipalloc-[0-9a-f]{8,17}$/, lookup: { filter: "allocation-id" } },
  arn: { type: "elastic-ip" },
  fields: (f) => ({
    allocationId: f.requiredString((a) => a.AllocationId ?? ""),
    publicIp: f.string((a) => a.PublicIp),
    privateIpAddress: f.string((a) => a.PrivateIpAddress),
    domain: f.string((a) => a.Domain),
    associationId: f.string((a) => a.AssociationId),
    instanceId: f.string((a) => a.InstanceId || undefined),
    networkInterfaceId: f.string((a) => a.NetworkInterfaceId),
    tags: f.tags((a) => a.Tags),
  }),
  filter: (f) => ({ publicIps: f.values("public-ip"), instanceId: f.value("instance-id"), domain: f.value("domain"), tags: f.tags() }),
});

ec2Links(Ec2Address, (l) => ({
  instance: l.one(() => Ec2Instance, (a) => a.instanceId, "the instance it is associated with, if any"),
  networkInterface: l.one(() => Ec2NetworkInterface, (a) => a.networkInterfaceId),
}));
