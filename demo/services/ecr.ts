// Seeds ECR: repositories of several teams (mutable and immutable tags, AES256 and KMS encryption,
// scan on push, tags), each with images pushed as Docker/OCI manifests: several tags on one image,
// untagged images, sizes from a few MB to a few GB.
import { createHash } from "node:crypto";
import { CreateRepositoryCommand, ECRClient, PutImageCommand, type ImageTagMutability } from "@aws-sdk/client-ecr";
import { clientConfig, teams, type AwsTarget, type Progress } from "../seed.js";

export interface EcrSeedPlan {
  regions: string[];
  /** repositories per region */
  repositories: number;
  /**
   * images in the repository with the most; the others get a varied share of it (some none), so
   * that the biggest repository pages at the tests' sizes and an empty one is there too
   */
  imagesPerRepository: number;
}

export interface EcrSeeded {
  /** per region, in creation order */
  repositories: Record<string, { repositoryName: string; repositoryArn: string; imageDigests: string[] }[]>;
}


const apps = ["api", "worker", "web", "batch", "gateway", "scheduler", "indexer"];
const shares = [1, 0.25, 0, 0.6, 0.1, 0.4, 0.05];

const sha256 = (text: string) => `sha256:${createHash("sha256").update(text).digest("hex")}`;

/** A Docker image manifest (schema 2) whose layers and config are unique to (repository, n). */
function manifest(repositoryName: string, n: number): string {
  const layers = Array.from({ length: 2 + (n % 4) }, (_, l) => ({
    mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip",
    size: 1_048_576 * (1 + ((n * 7 + l * 13) % 400)),
    digest: sha256(`${repositoryName}/layer/${n}/${l}`),
  }));
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.docker.distribution.manifest.v2+json",
    // moto reports config.size as the image's size
    config: { mediaType: "application/vnd.docker.container.image.v1+json", size: layers.reduce((sum, layer) => sum + layer.size, 0), digest: sha256(`${repositoryName}/config/${n}`) },
    layers,
  });
}

export async function seedEcr(target: AwsTarget, plan: EcrSeedPlan, progress: Progress = () => {}): Promise<EcrSeeded> {
  const seeded: EcrSeeded = { repositories: {} };
  for (const region of plan.regions) {
    const ecr = new ECRClient(clientConfig(target, region));
    const made: EcrSeeded["repositories"][string] = [];
    for (let r = 0; r < plan.repositories; r += 1) {
      const team = teams[r % teams.length]!;
      const repositoryName = `${team}/${apps[r % apps.length]}-${r}`;
      const immutable = r % 3 === 1;
      const repository = await ecr.send(
        new CreateRepositoryCommand({
          repositoryName,
          imageTagMutability: (immutable ? "IMMUTABLE" : "MUTABLE") as ImageTagMutability,
          imageScanningConfiguration: { scanOnPush: r % 2 === 0 },
          encryptionConfiguration: r % 4 === 3 ? { encryptionType: "KMS" } : { encryptionType: "AES256" },
          tags: [
            { Key: "team", Value: team },
            { Key: "env", Value: ["prod", "staging", "dev"][r % 3]! },
          ],
        }),
      );
      const images = Math.round(plan.imagesPerRepository * shares[r % shares.length]!);
      const imageDigests: string[] = [];
      for (let n = 0; n < images; n += 1) {
        const imageManifest = manifest(repositoryName, n);
        const imageDigest = sha256(imageManifest);
        // every fifth image is pushed untagged (a build cache, or an image whose tag moved on)
        const tags: (string | undefined)[] = n % 5 === 4 ? [undefined] : n % 3 === 0 ? [`v1.${n}.0`, `build-${1000 + n}`] : [`v1.${n}.0`];
        if (n === images - 1 && !immutable) tags.push("latest");
        for (const imageTag of tags) {
          await ecr.send(new PutImageCommand({ repositoryName, imageManifest, imageDigest, imageTag, imageManifestMediaType: "application/vnd.docker.distribution.manifest.v2+json" }));
        }
        imageDigests.push(imageDigest);
      }
      made.push({ repositoryName, repositoryArn: repository.repository!.repositoryArn!, imageDigests });
    }
    seeded.repositories[region] = made;
    progress(`ECR ${region}: ${made.length} repositories, ${made.reduce((sum, r) => sum + r.imageDigests.length, 0)} images`);
    ecr.destroy();
  }
  return seeded;
}
