/**
 * Character and shape rules for the send request's strings (docs/genesys-api-facts.md, "Ids and fields").
 * Plain patterns where JSON Schema can carry them (API Gateway applies the same rule), a function for
 * what needs a scan (lone surrogates).
 */

/** Genesys entity ids (conversation, communication, integration) are UUIDs: any version, either case. */
export const UUID_PATTERN = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;

/**
 * Names that are not UUIDs (bot id, bot version, bot session id): 1-100 displayable characters without
 * `/`, `\`, `?`, `#`, `%` or white space, and not `.` or `..`, so no value can ever act as a path.
 */
export const SAFE_NAME_PATTERN = /^(?!\.{1,2}$)[A-Za-z0-9._:@+=~-]{1,100}$/;

/** A metadata key: a plain identifier (letters, digits, `_`, `-`, `.`), starting with a letter or `_`. */
export const METADATA_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** E.164: `+`, a country code that does not start with 0, at most 15 digits in all. */
export const E164_PATTERN = /^\+[1-9][0-9]{6,14}$/;

/** A WhatsApp address is the number's digits without `+` (Genesys: "the E.164 number without the plus"). */
export const WHATSAPP_ADDRESS_PATTERN = /^[1-9][0-9]{6,14}$/;

/**
 * Characters Genesys or a phone mangles, or that make text lie about itself: C0 controls other than tab,
 * line feed and carriage return, DEL, C1 controls, bidi embeddings / overrides / isolates, and the
 * noncharacters U+FFFE and U+FFFF. Lone surrogates are found by {@link hostileCharacterProblem}.
 */
const HOSTILE_CHARACTER =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the point of the pattern is to find them.
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufffe\uffff]/;

/** Why `text` cannot be sent (to follow the field's path), or undefined when it is clean. */
export function hostileCharacterProblem(text: string): string | undefined {
  const bad = HOSTILE_CHARACTER.exec(text);
  if (bad !== null) return `must not contain ${describeCharacter(bad[0])} (at index ${bad.index})`;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        index++;
        continue;
      }
    }
    if (unit >= 0xd800 && unit <= 0xdfff) {
      return `must not contain a lone surrogate (U+${hex(unit)} at index ${index}): it is not valid Unicode`;
    }
  }
  return undefined;
}

function describeCharacter(character: string): string {
  const code = character.charCodeAt(0);
  if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) {
    return `a bidirectional override or isolate (U+${hex(code)})`;
  }
  if (code === 0xfffe || code === 0xffff) return `a Unicode noncharacter (U+${hex(code)})`;
  return `a control character (U+${hex(code)})`;
}

function hex(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, '0');
}
