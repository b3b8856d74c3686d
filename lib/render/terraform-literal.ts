/**
 * Terraform reads every string of the configuration as a template: `${...}` is an interpolation and
 * `%{...}` a directive, even inside a provisioner command or a file's content. Generated shell text
 * is full of `${var}`, `${#var}` and `${name##*}`-style expansions, which `terraform apply` would
 * reject (or evaluate), so every generated string reaches Terraform escaped: `$${` and `%%{` stand
 * for a literal `${` and `%{`.
 */
export function terraformLiteral(text: string): string {
  // split/join: twice as fast as a regular expression over a large server's 35 MB, and only where
  // needed. Doubling the `$` of each `${` adds no `%{`, so the second pass sees exactly the `%{` of the text.
  const dollars = text.includes('${') ? text.split('${').join('$${') : text;
  return dollars.includes('%{') ? dollars.split('%{').join('%%{') : dollars;
}
