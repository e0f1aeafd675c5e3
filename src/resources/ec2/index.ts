// The EC2 resources, each one declaration; they link to one another through these names.
export { Ec2Instance } from "./instances.js";
export { Ec2Volume } from "./volumes.js";
export { Ec2SecurityGroup } from "./security-groups.js";
export { Ec2Vpc } from "./vpcs.js";
export { Ec2Subnet } from "./subnets.js";
export { Ec2Image } from "./images.js";
export { Ec2Snapshot } from "./snapshots.js";
export { Ec2NetworkInterface } from "./network-interfaces.js";
export { Ec2Address } from "./addresses.js";
export { Ec2NatGateway } from "./nat-gateways.js";
export { Ec2RouteTable } from "./route-tables.js";
export { Ec2InternetGateway } from "./internet-gateways.js";
export { Ec2KeyPair } from "./key-pairs.js";
export { Ec2LaunchTemplate } from "./launch-templates.js";
