import { flagFor, type SettingsSchema } from './config.js';

const BEGIN = '<!-- settings:begin -->';
const END = '<!-- settings:end -->';

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** The Markdown table of a service's settings, generated from its schema. */
export function renderSettingsTable(settings: SettingsSchema): string {
  const rows = Object.values(settings).map((spec) => {
    const fallback =
      spec.default !== undefined
        ? `\`${spec.default}\``
        : spec.developmentDefault !== undefined
          ? `development: \`${spec.developmentDefault}\``
          : '—';
    const env = spec.secret ? `\`${spec.env}\` (or \`${spec.env}_FILE\`)` : `\`${spec.env}\``;
    return `| ${env} | \`${flagFor(spec.env)}\` | ${cell(fallback)} | ${cell(spec.description)} |`;
  });
  return ['| env | flag | default | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

/** The README text with the block between the settings markers replaced by `table`. */
export function replaceSettingsBlock(readme: string, table: string): string {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start === -1 || end < start) throw new Error(`README has no ${BEGIN} … ${END} block`);
  return `${readme.slice(0, start + BEGIN.length)}\n${table}\n${readme.slice(end)}`;
}
