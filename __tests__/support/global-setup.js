/** Before any test: build dist/backup-syncd.js from the current source, as `npm ci` does on a server. */
const { buildSyncd } = require('../../scripts/build-syncd');

module.exports = () => {
  buildSyncd();
};
