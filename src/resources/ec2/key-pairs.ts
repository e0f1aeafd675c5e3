// Key pairs: DescribeKeyPairs, which AWS answers in one page; the gateway pages over it.
import { DescribeKeyPairsCommand } from "@aws-sdk/client-ec2";
import { ec2Links, ec2Resource } from "../../graphql/kit/ec2.js";
import { Ec2Instance } from "./index.js";

export const Ec2KeyPair = ec2Resource({
  name: "Ec2KeyPair",
  listField: "ec2KeyPairs",
  singleField: "ec2KeyPair",
  request: (page) => new DescribeKeyPairsCommand(page),
  pageSize: "unpaged",
  items: (out) => out.KeyPairs,
  id: { field: "keyName", pattern: /^[\x20-\x7e]{1,255}$/, lookup: { filter: "key-name" } },
  arn: { type: "key-pair", idField: "keyPairId" },
  fields: (f) => ({
    keyName: f.requiredString((k) => k.KeyName ?? ""),
    keyPairId: f.string((k) => k.KeyPairId),
    keyType: f.string((k) => k.KeyType),
    keyFingerprint: f.string((k) => k.KeyFingerprint),
    createTime: f.date((k) => k.CreateTime),
    tags: f.tags((k) => k.Tags),
  }),
  filter: (f) => ({ keyTypes: f.values("key-type"), tags: f.tags() }),
});

ec2Links(Ec2KeyPair, (l) => ({ instances: l.under(() => Ec2Instance, "key-name", (k) => k.keyName, "instances launched with it") }));
