// Fingerprints name a listing (field, parent, arguments but first/after), so a cursor is only
// accepted by the listing that issued it.
import { hash } from "node:crypto";

/** Fingerprints of listings asked for lately: every page of a walk asks for the same one. */
const recentFingerprints = new Map<string, string>();

/** Identifies a listing: the field, its parent, and every argument but first and after. */
export function listingFingerprint(field: string, parentId: string | undefined, args: Record<string, unknown>): string {
  const key = JSON.stringify([field, parentId ?? null, args]);
  let fingerprint = recentFingerprints.get(key);
  if (fingerprint === undefined) {
    fingerprint = hash("sha256", canonicalJson([field, parentId ?? null, args]), "base64url").slice(0, 22);
    if (recentFingerprints.size >= 1000) recentFingerprints.clear();
    if (key.length <= 1024) recentFingerprints.set(key, fingerprint);
  }
  return fingerprint;
}

/** JSON with object keys sorted and undefined members left out, so equal arguments give equal fingerprints. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? "null" : canonicalJson(item))).join(",")}]`;
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  const object = value as Record<string, unknown>;
  const members = Object.keys(object)
    .filter((key) => object[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(object[key])}`);
  return `{${members.join(",")}}`;
}
