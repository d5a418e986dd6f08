// The status page's pure logic: no DOM, no network, no clock (time arrives as an argument). The
// page loads it before app.js; node --test loads it too (node/src/test/web/logic.test.js).
'use strict';

const BatonLogic = (() => {
  // One server-sent-events block ("event: x\nid: n\ndata: {...}") as {type, data}; null for a
  // block without data (a ": keepalive" comment).
  function parseEvent(block) {
    let type = 'message';
    const data = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':') || line === '') continue;
      const i = line.indexOf(':');
      const field = i < 0 ? line : line.slice(0, i);
      const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
      if (field === 'event') type = value;
      else if (field === 'data') data.push(value);
    }
    return data.length ? { type, data: JSON.parse(data.join('\n')) } : null;
  }

  // Records a feed event in the page's own timeline: `observed` holds {leader, term, start, end|null}
  // segments, `gaps` {start, end|null} spans without an ACTIVE; at most the last of each is open.
  function applyFeedEvent(observed, gaps, type, data, now) {
    const last = observed[observed.length - 1];
    const open = last && last.end === null ? last : null;
    const gap = openGap(gaps);
    if (type === 'leader') {
      if (!(open && open.leader === data.id && open.term === data.term)) {
        if (open) open.end = now;
        observed.push({ leader: data.id, term: data.term, start: now, end: null });
      }
      if (gap) gap.end = now;
    } else if (type === 'no_leader') {
      if (open) open.end = now;
      if (!gap) gaps.push({ start: now, end: null });
    }
  }

  function openGap(gaps) {
    const g = gaps[gaps.length - 1];
    return g && g.end === null ? g : null;
  }

  // The segments (who was active when) and gaps (no ACTIVE) of the timeline, from /v1/history's
  // terms (newest last). `liveGap` is the feed's open gap (or null): the history records a gap only
  // once a new term ends it.
  function fromHistory(terms, liveGap, now) {
    const segs = terms.filter((t) => typeof t.active_at_ms === 'number').map((t) => ({
      leader: t.leader, term: t.term, cause: t.cause, start: t.active_at_ms, end: t.ended_at_ms ?? now,
    }));
    const gaps = [];
    terms.forEach((t, i) => {
      const prev = terms[i - 1];
      if (typeof t.active_at_ms !== 'number') return;
      if (typeof t.gap_ms === 'number') {
        if (t.gap_ms > 0) gaps.push({ start: t.active_at_ms - t.gap_ms, end: t.active_at_ms });
      } else if (prev && typeof prev.ended_at_ms === 'number' && t.active_at_ms > prev.ended_at_ms) {
        gaps.push({ start: prev.ended_at_ms, end: t.active_at_ms });
      }
    });
    const last = terms[terms.length - 1];
    if (last && typeof last.ended_at_ms === 'number') gaps.push({ start: last.ended_at_ms, end: now });
    else if (liveGap) gaps.push({ start: liveGap.start, end: now });
    return { segs, gaps };
  }

  // The same from what the page observed itself; open spans end now.
  function fromObserved(observed, gaps, now) {
    return {
      segs: observed.map((s) => ({ ...s, end: s.end ?? now })),
      gaps: gaps.map((g) => ({ start: g.start, end: g.end ?? now })),
    };
  }

  // The ACTIVE as the reachable members of a /v1/cluster answer name it: the leader of the
  // highest term any of them knows; [null, 0] when none names one.
  function activeFrom(cluster) {
    let best = null;
    for (const m of cluster.members) {
      const l = m.status && m.status.leader;
      if (l && (!best || l.term > best.term)) best = l;
    }
    return best ? [best.id, best.term] : [null, 0];
  }

  // Lag of node `s` (its /v1/status): as the ACTIVE reports it (`lagEntries` of that member in the
  // ACTIVE's own status, the entries it has not acknowledged), else how far the node's applied
  // index trails the highest commit index it knows of.
  function lagText(s, active) {
    const seen = active && Array.isArray(active.members) ? active.members.find((m) => m.id === s.id) : null;
    if (seen && typeof seen.lagEntries === 'number') {
      return seen.lagEntries + ' entries';
    }
    if (typeof s.leaderCommitIndex === 'number' && typeof s.appliedIndex === 'number') {
      return Math.max(0, s.leaderCommitIndex - s.appliedIndex) + ' entries';
    }
    return '\u2014';
  }

  // Role of node `s`, marked "(joining)" while the member table (the ACTIVE's, else its own) has it
  // as a learner that does not vote yet.
  function roleText(s, active) {
    const table = active && Array.isArray(active.members) ? active.members : Array.isArray(s.members) ? s.members : [];
    const row = table.find((m) => m.id === s.id);
    const role = s.role || '\u2014';
    return row && row.status === 'joining' ? role + ' (joining)' : role;
  }

  // Lease remaining: `leaseRemainingMs` of the node that leads (null on the others: a dash).
  function leaseText(s) {
    return typeof s.leaseRemainingMs === 'number' ? s.leaseRemainingMs + ' ms' : '\u2014';
  }

  function duration(ms) {
    if (ms < 1000) return Math.round(ms) + ' ms';
    if (ms < 120000) return (ms / 1000).toFixed(1) + ' s';
    return Math.round(ms / 60000) + ' min';
  }

  return { parseEvent, applyFeedEvent, openGap, fromHistory, fromObserved, activeFrom, lagText, roleText, leaseText, duration };
})();

if (typeof module !== 'undefined') module.exports = BatonLogic;
