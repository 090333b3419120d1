// Parse YAML sources into documents that remember where every node came from. Pure: the shell
// reads the files (src/config/readConfigDir.ts) and hands over their text.
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from "yaml";
import type { LocatedError, SourceLocation } from "./types.js";

export interface SourceFile {
  /** The path as it should be printed (relative to where the user ran the tool when possible). */
  readonly path: string;
  readonly text: string;
}

export type DocPath = readonly (string | number)[];

export interface LoadedDocument {
  readonly file: string;
  /** 0-based index of the document inside its file. */
  readonly index: number;
  readonly data: unknown;
  readonly location: SourceLocation;
  /** Where a path points; falls back to the nearest ancestor that exists. `atKey` points at a map key. */
  locate(path: DocPath, atKey?: boolean): SourceLocation;
}

export interface LoadResult {
  readonly documents: LoadedDocument[];
  readonly errors: LocatedError[];
}

/** Bounds that keep hostile input cheap: YAML bombs and absurd nesting are rejected, not expanded. */
export const LOAD_LIMITS = { maxAliasCount: 100, maxDepth: 64 } as const;

/** Depth of the tree, and the offsets of keys repeated in a map (yaml reports those only at the map). */
function inspect(node: unknown, duplicates: number[], depth = 0): number {
  if (depth > LOAD_LIMITS.maxDepth) return depth;
  if (isMap(node)) {
    const keys = new Set<string>();
    for (const pair of node.items) {
      if (isScalar(pair.key)) {
        const k = String(pair.key.value);
        if (keys.has(k)) duplicates.push(pair.key.range?.[0] ?? 0);
        keys.add(k);
      }
    }
  }
  if (isMap(node) || isSeq(node)) {
    let max = depth;
    for (const item of node.items) {
      const child = isPair(item) ? item.value : item;
      max = Math.max(max, inspect(child, duplicates, depth + 1));
      if (max > LOAD_LIMITS.maxDepth) break;
    }
    return max;
  }
  return depth;
}

function locator(file: string, lc: LineCounter, doc: Document) {
  const at = (offset: number): SourceLocation => {
    const pos = lc.linePos(offset);
    return { file, line: pos.line, col: pos.col };
  };
  const start = (node: Node | null | undefined, fallback: number): number => node?.range?.[0] ?? fallback;
  return (path: DocPath, atKey = false): SourceLocation => {
    let node: unknown = doc.contents;
    let offset = start(doc.contents, 0);
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) break;
        const keyNode = pair.key as Node;
        offset = start(keyNode, offset);
        if (last && atKey) return at(offset);
        node = pair.value;
        offset = start(pair.value as Node | null, offset);
      } else if (isSeq(node) && /^\d+$/.test(String(seg))) {
        const item = node.items[Number(seg)];
        if (!item) break;
        node = item;
        offset = start(item as Node, offset);
      } else {
        break;
      }
    }
    return at(offset);
  };
}

export function parseSources(files: readonly SourceFile[]): LoadResult {
  const documents: LoadedDocument[] = [];
  const errors: LocatedError[] = [];
  for (const file of files) {
    const lc = new LineCounter();
    const docs = parseAllDocuments(file.text, { lineCounter: lc, uniqueKeys: false, prettyErrors: false });
    const list = Array.isArray(docs) ? docs : [];
    if (!Array.isArray(docs)) {
      // An "empty" stream is returned as a lone EmptyStream object: nothing to load.
      continue;
    }
    list.forEach((doc, index) => {
      const locate = locator(file.path, lc, doc);
      const location = locate([]);
      const problems = doc.errors;
      if (problems.length > 0) {
        for (const e of problems) {
          const pos = lc.linePos(e.pos[0]);
          const firstLine = e.message.split("\n")[0] ?? e.message;
          errors.push({
            location: { file: file.path, line: pos.line, col: pos.col },
            path: "",
            message: `invalid YAML: ${firstLine.replace(/ at line \d+, column \d+:?$/, "")}`,
          });
        }
        return;
      }
      if (doc.contents === null) return; // an empty document (e.g. a trailing `---`)
      const duplicates: number[] = [];
      if (inspect(doc.contents, duplicates) > LOAD_LIMITS.maxDepth) {
        errors.push({ location, path: "", message: `document nests deeper than ${LOAD_LIMITS.maxDepth} levels` });
        return;
      }
      if (duplicates.length > 0) {
        for (const offset of duplicates) {
          const pos = lc.linePos(offset);
          errors.push({ location: { file: file.path, line: pos.line, col: pos.col }, path: "", message: "invalid YAML: map keys must be unique (this key is repeated)" });
        }
        return;
      }
      let data: unknown;
      try {
        data = doc.toJS({ maxAliasCount: LOAD_LIMITS.maxAliasCount });
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        errors.push({ location, path: "", message: `invalid YAML: ${message}` });
        return;
      }
      documents.push({ file: file.path, index, data, location, locate });
    });
  }
  return { documents, errors };
}
