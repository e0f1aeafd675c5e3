// The AWS regions a `region` argument may name, and the names and patterns (`*`, `us-*`) a
// `regions` argument takes; anything else is refused before a call is made.
import { badInput } from "../errors.js";

export const AWS_REGIONS: ReadonlySet<string> = new Set([
  "us-east-1", "us-east-2", "us-west-1", "us-west-2",
  "af-south-1",
  "ap-east-1", "ap-east-2", "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
  "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
  "ca-central-1", "ca-west-1",
  "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-south-1", "eu-south-2", "eu-north-1",
  "il-central-1", "me-south-1", "me-central-1", "mx-central-1", "sa-east-1",
  "us-gov-east-1", "us-gov-west-1", "cn-north-1", "cn-northwest-1",
]);

const isPattern = (name: string) => name.includes("*");
const patternOf = (pattern: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\-]/g, "\\$&").replace(/\*/g, "[a-z0-9-]*")}$`);

/** Whether a region name or pattern ("eu-*", "*") takes a region. */
export const regionMatches = (nameOrPattern: string, region: string): boolean => (isPattern(nameOrPattern) ? patternOf(nameOrPattern).test(region) : nameOrPattern === region);

/**
 * The regions a field asks for, as given: `region` alone, `regions` (names and patterns), or the
 * default. Both at once, an unknown name, or a pattern that matches no region is BAD_USER_INPUT.
 */
export function regionsAsked(region: string | null | undefined, regions: readonly string[] | null | undefined, defaultRegion: string): string[] {
  if (regions !== null && regions !== undefined) {
    if (region !== null && region !== undefined) throw badInput("Give `region` or `regions`, not both.", { argument: "regions" });
    if (regions.length === 0 || regions.length > 50) throw badInput("`regions` takes 1 to 50 region names or patterns.", { argument: "regions" });
    for (const name of regions) {
      const known = isPattern(name) ? [...AWS_REGIONS].some((r) => patternOf(name).test(r)) : AWS_REGIONS.has(name);
      if (!known) throw badInput(`"${name.slice(0, 40)}" is not an AWS region${isPattern(name) ? " pattern that matches any region" : ""}.`, { argument: "regions" });
    }
    return [...new Set(regions)];
  }
  if (region === null || region === undefined) return [defaultRegion];
  if (!AWS_REGIONS.has(region)) throw badInput(`Unknown AWS region "${region.slice(0, 40)}".`, { argument: "region" });
  return [region];
}

export const hasPatterns = (regions: readonly string[]) => regions.some(isPattern);

/** Names in the order given, patterns expanded alphabetically against the enabled regions, each region once. */
export function expandRegions(asked: readonly string[], enabled: readonly string[]): string[] {
  const regions: string[] = [];
  for (const name of asked) {
    const matched = isPattern(name) ? enabled.filter((r) => patternOf(name).test(r)).sort() : [name];
    for (const region of matched) if (!regions.includes(region)) regions.push(region);
  }
  return regions;
}

/** How many regions a `regions` argument can reach at most: for query cost, before any call. */
export function regionsReachable(regions: readonly string[] | null | undefined): number {
  if (!regions?.length) return 1;
  return new Set(regions.flatMap((name) => (isPattern(name) ? [...AWS_REGIONS].filter((r) => patternOf(name).test(r)) : [name]))).size;
}
