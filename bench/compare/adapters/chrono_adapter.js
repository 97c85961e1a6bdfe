// chrono-node (`chrono.parse(text, reference)`, English casual parser).
//
// Mapping: the components chrono marks as *known* give the granularity (year only → YYYY;
// month+year → YYYY-MM; a day → YYYY-MM-DD; an hour → TIME at minute); values chrono
// only *implied* (e.g. the year of "12 March") are taken as chrono resolved them against the
// reference. Type is TIME when the hour is known, DATE otherwise. Lossy: chrono has no
// durations, sets or modifiers ("for three hours" comes back as a time), a range
// ("from May 3 to May 5") is one result whose start is kept, and its spans include leading
// prepositions ("On Monday"). Times are computed in UTC (the runner sets TZ=UTC).
'use strict';
const path = require('path');
const common = require('./common');

function setup() {
  const chrono = require('chrono-node');
  chrono.parse('warm up on 3 May 2001', new Date());
  return (doc) => {
    const ref = common.reference(doc);
    const out = [];
    for (const r of chrono.parse(doc.text, { instant: ref, timezone: 0 })) {
      const c = r.start;
      const known = (k) => c.isCertain(k);
      let g;
      if (known('hour')) g = 'minute';
      else if (known('day') || known('weekday')) g = 'day';
      else if (known('month')) g = 'month';
      else if (known('year')) g = 'year';
      else g = 'day';
      const d = c.date();
      out.push({
        start: r.index,
        end: r.index + r.text.length,
        type: g === 'minute' ? 'TIME' : 'DATE',
        value: common.fmtDate(d, g),
      });
    }
    return out;
  };
}

const version = require(path.join(path.dirname(require.resolve('chrono-node')), '..', '..', 'package.json')).version;
common.run('chrono-node', version, setup).catch((e) => {
  process.stderr.write(`chrono-node: ${e.message}\n`);
  process.exit(1);
});
