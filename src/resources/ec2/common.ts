// Shapes shared by the EC2 resources: regional keys and tags.
import type { Tag as AwsTag } from "@aws-sdk/client-ec2";
import type { TagModel } from "../../graphql/builder.js";

/** EC2 ids are unique within a region only: keys and node ids carry both. */
export const regionalKey = (region: string, id: string) => `${region}/${id}`;

export function splitRegionalKey(key: string): { region: string; id: string } {
  const slash = key.indexOf("/");
  return slash < 0 ? { region: "", id: key } : { region: key.slice(0, slash), id: key.slice(slash + 1) };
}

export const ec2Tags = (tags: AwsTag[] | undefined): TagModel[] =>
  (tags ?? []).map((tag) => ({ key: tag.Key ?? "", value: tag.Value ?? "" }));
