// The text of a cursor, `<record id>.<edge index>.<tag>`, and the keyed tag that tells ours from forgeries.
import { createCipheriv, hash, randomFillSync, timingSafeEqual, type Cipher } from "node:crypto";

// 12-byte ids and 9-byte tags are exactly 16 and 12 base64url characters: every cursor of this
// shape has one canonical byte form.
const CURSOR_PATTERN = /^([A-Za-z0-9_-]{16})\.(0|[1-9]\d{0,4})\.([A-Za-z0-9_-]{12})$/;
const ID_BYTES = 12;
const TAG_BYTES = 9;

export interface DecodedCursor {
  recordId: string;
  index: number;
  tag: string;
}

/** The cursor of edge `index` of record `recordId`. */
export const encodeCursor = (recordId: string, index: number, tag: string) => `${recordId}.${index}.${tag}`;

/** The parts of a cursor, or undefined when the text is not shaped like one. */
export function decodeCursor(cursor: string): DecodedCursor | undefined {
  const match = CURSOR_PATTERN.exec(cursor);
  if (!match) return undefined;
  return { recordId: match[1]!, index: Number(match[2]), tag: match[3]! };
}

/**
 * Record tags: the first 9 bytes of AES-128, under a key derived from the signing secret, of the
 * record id. A keyed pseudo-random function of the id: without the key no id can be tagged, so a
 * made-up or altered id is refused as invalid while a genuine one whose record is gone is expired.
 * The edge index needs no tag of its own: every index the record holds names a cursor its caller
 * was given, and any other is refused by the record itself.
 */
export class RecordTags {
  private readonly cipher: Cipher;

  constructor(readonly secret: string) {
    this.cipher = createCipheriv("aes-128-ecb", hash("sha256", secret, "buffer").subarray(0, 16), null);
    this.cipher.setAutoPadding(false);
  }

  of(recordId: string): string {
    const block = Buffer.alloc(16);
    block.write(recordId, "base64url");
    return this.cipher.update(block).toString("base64url", 0, TAG_BYTES);
  }

  /** Whether `tag` is the tag of `recordId`, compared in constant time. */
  matches(recordId: string, tag: string): boolean {
    const expected = Buffer.from(this.of(recordId));
    const presented = Buffer.from(tag);
    return expected.length === presented.length && timingSafeEqual(expected, presented);
  }
}

// Random ids come from a pool filled a few kilobytes at a time: a system call per id cost more
// than the rest of issuing a page's cursors.
const randomPool = Buffer.alloc(4092);
let randomPoolOffset = randomPool.length;

/** 96 random bits in base64url: the name of a record or of a held page. */
export function randomRecordId(): string {
  if (randomPoolOffset === randomPool.length) {
    randomFillSync(randomPool);
    randomPoolOffset = 0;
  }
  randomPoolOffset += ID_BYTES;
  return randomPool.toString("base64url", randomPoolOffset - ID_BYTES, randomPoolOffset);
}
