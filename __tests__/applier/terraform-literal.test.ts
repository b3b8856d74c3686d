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
