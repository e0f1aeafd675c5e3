// Launch templates: DescribeLaunchTemplates (NextToken, MaxResults 1..200), always asked for 200:
// moto cuts a smaller page short with no token, which would end a listing silently.
import { DescribeLaunchTemplatesCommand } from "@aws-sdk/client-ec2";
import { ec2Resource } from "../../graphql/kit/ec2.js";

export const Ec2LaunchTemplate = ec2Resource({
  name: "Ec2LaunchTemplate",
  listField: "ec2LaunchTemplates",
  singleField: "ec2LaunchTemplate",
  request: (page) => new DescribeLaunchTemplatesCommand(page),
  pageSize: { min: 200, max: 200 },
  items: (out) => out.LaunchTemplates,
  // EC2 has no launch-template-id filter: ids go in LaunchTemplateIds, where an unknown one is NotFound.
  id: { field: "launchTemplateId", pattern: /^lt-[0-9a-f]{8,17}$/, lookup: { idsMember: "LaunchTemplateIds" } },
  arn: { type: "launch-template" },
  fields: (f) => ({
    launchTemplateId: f.requiredString((t) => t.LaunchTemplateId ?? ""),
    launchTemplateName: f.string((t) => t.LaunchTemplateName),
    createTime: f.date((t) => t.CreateTime),
    createdBy: f.string((t) => t.CreatedBy),
    defaultVersionNumber: f.float((t) => t.DefaultVersionNumber),
    latestVersionNumber: f.float((t) => t.LatestVersionNumber),
    tags: f.tags((t) => t.Tags),
  }),
  filter: (f) => ({ names: f.values("launch-template-name"), tags: f.tags() }),
});
