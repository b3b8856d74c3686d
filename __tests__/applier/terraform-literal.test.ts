import { terraformLiteral } from '../../lib';
import { evaluateTemplate } from '../support/applier';

test.each([
  'name=${link##*/}',
  '[ "${#access}" -eq 20 ]',
  'printf "%{x}" ${a:-b} $${already} %%{too} $$ %s',
  'no template syntax at all',
])('Terraform reads %j back exactly', (text) => {
  expect(evaluateTemplate(terraformLiteral(text), 'text')).toBe(text);
});

test('escapes exactly the `${` and `%{` of the text, whatever precedes them', () => {
  expect(terraformLiteral('$%{ %${ $${{ %%{ ${%{ %{${ ${${ %{%{')).toBe('$%%{ %$${ $$${{ %%%{ $${%%{ %%{$${ $${$${ %%{%%{');
  // Every string of up to six characters over `$`, `%`, `{` and `x`, against the one-pass definition.
  const alphabet = ['$', '%', '{', 'x'];
  let texts = [''];
  for (let length = 1; length <= 6; length++) {
    texts = texts.flatMap((text) => alphabet.map((character) => text + character));
    for (const text of texts) {
      expect(terraformLiteral(text)).toBe(text.replace(/([$%])\{/g, '$1$1{'));
      expect(evaluateTemplate(terraformLiteral(text), 'text')).toBe(text);
    }
  }
});
