/** The one path builder: every path is its template with the ids in place, and no id can climb out of it. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bulkMessagesPath,
  conversationMessagePath,
  conversationMessagesPath,
  messageDetailsPath,
  UnsafePathSegmentError,
} from '../../shared/genesys/endpoints';

/** Each builder with its template as docs/genesys-api-facts.md writes it. */
const BUILDERS: Array<{ template: string; build: (...ids: string[]) => string }> = [
  {
    template: '/api/v2/conversations/messages/{conversationId}/communications/{communicationId}/messages',
    build: (a, b) => conversationMessagesPath(a as string, b as string),
  },
  {
    template: '/api/v2/conversations/messages/{conversationId}/messages/{messageId}',
    build: (a, b) => conversationMessagePath(a as string, b as string),
  },
  {
    template: '/api/v2/conversations/messages/{messageId}/details',
    build: (a) => messageDetailsPath(a as string),
  },
  {
    template: '/api/v2/conversations/messages/{conversationId}/messages/bulk',
    build: (a) => bulkMessagesPath(a as string),
  },
];

function fill(template: string, ids: readonly string[]): string {
  let index = 0;
  return template.replace(/\{[A-Za-z]+\}/g, () => encodeURIComponent(ids[index++] as string));
}

describe('Genesys endpoint paths', () => {
  it('equals its template with the ids in place, and a URL client keeps it as built', () => {
    // Prepare
    const id = fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 40 }));

    // Act + Assess
    fc.assert(
      fc.property(fc.constantFrom(...BUILDERS), id, id, ({ template, build }, first, second) => {
        fc.pre(![first, second].some((value) => value === '.' || value === '..'));
        const path = build(first, second);
        expect(path).toBe(fill(template, [first, second]));
        // What axios sends: the URL's path must be exactly the built one (no dot segment resolved away).
        expect(new URL(`https://api.mypurecloud.com${path}`).pathname).toBe(path);
      }),
    );
  });

  it.each(['.', '..', ''])('refuses the id %j in every position of every path', (bad) => {
    // Prepare
    const good = 'b5c8e0a3-8d4e-4a5f-9f1e-2c7d3b6a9e10';

    // Act
    const thrown = BUILDERS.flatMap(({ template, build }) => {
      const positions = (template.match(/\{/g) ?? []).length;
      return Array.from({ length: positions }, (_, position) => {
        const ids = Array.from({ length: positions }, (_, i) => (i === position ? bad : good));
        try {
          build(...ids);
          return 'built';
        } catch (error) {
          return error instanceof UnsafePathSegmentError ? 'refused' : String(error);
        }
      });
    });

    // Assess
    expect(thrown).toEqual(['refused', 'refused', 'refused', 'refused', 'refused', 'refused']);
  });
});
