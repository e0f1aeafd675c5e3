// AWS pages held in the cursor store, so a page AWS returned larger than asked is read from AWS once.
import type { CursorStore } from "../store/types.js";
import { randomRecordId } from "./cursor-codec.js";
import type { PageBuffer } from "./engine.js";
import type { JsonSafe, SourcePage } from "./source.js";

const HELD_PAGE_KEY = (id: string) => `page:${id}`;

export interface HeldPagesOptions {
  ttlMs: number;
  /** a page larger than this, as JSON, is not held: it is fetched again instead */
  maxBytes: number;
}

/** Holds AWS pages as JSON in the same store, and for as long, as the cursors that point into them. */
export class HeldPages {
  constructor(
    private readonly store: CursorStore,
    private readonly options: HeldPagesOptions,
  ) {}

  /** The buffer for one listing's items. */
  of<Item extends JsonSafe>(): PageBuffer<Item> {
    const { store, options } = this;
    return {
    async hold(page: SourcePage<Item>) {
      const json = JSON.stringify(page);
      if (Buffer.byteLength(json) > options.maxBytes) return undefined;
      const id = randomRecordId();
      await store.put(HELD_PAGE_KEY(id), json, options.ttlMs);
      return id;
    },
    async read(bufferId: string) {
      const json = await store.get(HELD_PAGE_KEY(bufferId));
      return json === undefined ? undefined : (JSON.parse(json) as SourcePage<Item>);
    },
    };
  }
}
