// The field names a document asks for anywhere (fragments included), found once per document: yoga's parse cache
// and the prepared documents hand out the same object for the same text, so the usual request costs a WeakMap
// lookup instead of a walk. The federation limit looks for `_entities`, the response cache for `health`.
import { visit, type DocumentNode } from 'graphql';

const asked = new WeakMap<DocumentNode, ReadonlySet<string>>();

export function fieldsAskedIn(document: DocumentNode): ReadonlySet<string> {
  let names = asked.get(document);
  if (!names) {
    const found = new Set<string>();
    visit(document, {
      Field(node) {
        found.add(node.name.value);
      },
    });
    asked.set(document, (names = found));
  }
  return names;
}
