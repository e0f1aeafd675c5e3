// ECR images, listed only under their repository: DescribeImages { repositoryName } (nextToken,
// maxResults 1..1000). A digest is unique within its repository: the node id carries
// `repositoryName@imageDigest`, looked up with DescribeImages { repositoryName, imageIds }.
import type { ImageDetail } from "@aws-sdk/client-ecr";
import { tokens } from "../../aws/list-operation.js";
import { namedCommand } from "../../aws/service-modules.js";
import { links, resource } from "../../graphql/kit/resource.js";
import { KmsKey } from "../kms/keys.js";
import { EcrRepository, REPOSITORY_NAME } from "./repositories.js";

/** `repositoryName@sha256:...`, a digest reference as Docker writes it. */
const IMAGE_REFERENCE = /^([^@]+)@([a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+)$/;

const reference = (image: ImageDetail) => `${image.repositoryName ?? ""}@${image.imageDigest ?? ""}`;

export const EcrImage = resource({
  name: "EcrImage",
  scope: "regional",
  list: {
    service: "ecr",
    command: (input) => namedCommand("ecr", "DescribeImagesCommand", { ...input, repositoryName: input.repositoryName }),
    tokens: tokens.field("nextToken"),
    pageSize: { member: "maxResults", min: 1, max: 1000 },
    // The answer names each image's repository; the request's name stands in should it not.
    items: (out, input) => out.imageDetails?.map((image) => (image.repositoryName ? image : { ...image, repositoryName: String(input.repositoryName) })),
  },
  id: {
    field: "imageReference",
    pattern: IMAGE_REFERENCE,
    lookup: {
      each: async (id, send) => {
        const [, repositoryName, imageDigest] = IMAGE_REFERENCE.exec(id) ?? [];
        if (!repositoryName || !imageDigest || !REPOSITORY_NAME.test(repositoryName)) return undefined;
        // ImageNotFoundException and RepositoryNotFoundException are NOT_FOUND: null
        const out = await send(namedCommand("ecr", "DescribeImagesCommand", { repositoryName, imageIds: [{ imageDigest }] }));
        return out.imageDetails?.find((image) => image.imageDigest === imageDigest);
      },
    },
  },
  fields: (f) => ({
    imageReference: f.requiredString(reference, "repositoryName@imageDigest"),
    repositoryName: f.requiredString((i) => i.repositoryName ?? ""),
    imageDigest: f.requiredString((i) => i.imageDigest ?? ""),
    // DescribeImages leaves imageTags out for an untagged image
    imageTags: f.strings((i) => i.imageTags),
    imagePushedAt: f.date((i) => i.imagePushedAt),
    imageSizeInBytes: f.float((i) => i.imageSizeInBytes, "bytes (a Float: sizes pass 2^31)"),
  }),
});

links(EcrRepository, (l) => ({
  images: l.children(() => EcrImage, (repository) => ({ repositoryName: repository.repositoryName }), "the repository's images, as DescribeImages lists them"),
  kmsKey: l.one(
    () => KmsKey,
    (repository) => (repository.kmsKeyArn?.includes(":key/") ? repository.kmsKeyArn.split(":key/").pop() : undefined),
    "the KMS key the repository is encrypted with, when it is in the same account and region",
  ),
}));

links(EcrImage, (l) => ({
  repository: l.one(() => EcrRepository, (image) => image.repositoryName),
}));
