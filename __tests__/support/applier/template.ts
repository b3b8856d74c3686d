/**
 * Terraform string templates, as far as our stack uses them: the escapes `$${` and `%%{`, and the
 * one interpolation `${self.triggers.<name>}` (in provisioners only). Anything else is refused, so a
 * stray shell `${var}` in generated text fails here exactly as it would fail `terraform apply`.
 */
import { UnsupportedConfigurationError } from './errors';

const SELF_TRIGGER = /^self\.triggers\.([A-Za-z_][A-Za-z0-9_-]*)$/;

/** Gives the value of `self.triggers.<name>`; absent where Terraform allows no `self`. */
export type TriggerLookup = (name: string) => string;

/** Evaluate one template string. `where` names the attribute in error messages. */
export function evaluateTemplate(text: string, where: string, selfTrigger?: TriggerLookup): string {
  let result = '';
  let index = 0;
  while (index < text.length) {
    if (text.startsWith('$${', index) || text.startsWith('%%{', index)) {
      result += `${text[index]}{`;
      index += 3;
    } else if (text.startsWith('${', index)) {
      const end = text.indexOf('}', index);
      if (end < 0) throw new UnsupportedConfigurationError(where, `unterminated interpolation at "${text.slice(index, index + 40)}"`);
      result += interpolate(text.slice(index + 2, end), where, selfTrigger);
      index = end + 1;
    } else if (text.startsWith('%{', index)) {
      throw new UnsupportedConfigurationError(where, `template directive "${text.slice(index, index + 40)}" is not supported (escape a literal "%{" as "%%{")`);
    } else {
      result += text[index];
      index += 1;
    }
  }
  return result;
}

function interpolate(expression: string, where: string, selfTrigger: TriggerLookup | undefined): string {
  const match = SELF_TRIGGER.exec(expression);
  if (match === null || selfTrigger === undefined) {
    const allowed = selfTrigger === undefined ? 'no interpolation is allowed here' : 'only ${self.triggers.<name>} is supported';
    throw new UnsupportedConfigurationError(where, `unsupported interpolation "\${${expression}}": ${allowed} (escape a literal "\${" as "$\${")`);
  }
  return selfTrigger(match[1]!);
}
