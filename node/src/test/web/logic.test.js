// Unit tests of the status page's pure logic (node/src/main/resources/web/logic.js), with Node's
// built-in runner: node --test node/src/test/web/
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const L = require('../../main/resources/web/logic.js');

test('parseEvent reads the leader feed and skips keep-alives', () => {
  assert.deepEqual(L.parseEvent('event: leader\nid: 7\ndata: {"id":"n2","url":"http://h:1","term":7}'),
    { type: 'leader', data: { id: 'n2', url: 'http://h:1', term: 7 } });
  assert.deepEqual(L.parseEvent('event: no_leader\nid: 8\ndata: {"term":8}'), { type: 'no_leader', data: { term: 8 } });
  assert.equal(L.parseEvent(': keepalive'), null);
  assert.deepEqual(L.parseEvent('data:{"a":1}'), { type: 'message', data: { a: 1 } });
});

test('the observed timeline: a crash seen as no_leader then a new leader', () => {
  const segs = [];
  const gaps = [];
  L.applyFeedEvent(segs, gaps, 'leader', { id: 'n1', term: 1 }, 1000);
  L.applyFeedEvent(segs, gaps, 'leader', { id: 'n1', term: 1 }, 1500); // a reconnect repeats it
  L.applyFeedEvent(segs, gaps, 'no_leader', { term: 1 }, 2000);
  L.applyFeedEvent(segs, gaps, 'no_leader', { term: 2 }, 2100);
  L.applyFeedEvent(segs, gaps, 'leader', { id: 'n2', term: 2 }, 2300);
  assert.deepEqual(segs, [{ leader: 'n1', term: 1, start: 1000, end: 2000 }, { leader: 'n2', term: 2, start: 2300, end: null }]);
  assert.deepEqual(gaps, [{ start: 2000, end: 2300 }]);
  assert.deepEqual(L.fromObserved(segs, gaps, 5000).segs[1], { leader: 'n2', term: 2, start: 2300, end: 5000 });
});

test('the observed timeline: a switchover seen without a gap', () => {
  const segs = [];
  const gaps = [];
  L.applyFeedEvent(segs, gaps, 'leader', { id: 'n1', term: 1 }, 1000);
  L.applyFeedEvent(segs, gaps, 'leader', { id: 'n3', term: 2 }, 3000);
  assert.deepEqual(segs.map((s) => [s.leader, s.start, s.end]), [['n1', 1000, 3000], ['n3', 3000, null]]);
  assert.deepEqual(gaps, []);
});

test('the history timeline: gaps from gap_ms, from ended_at_ms, and an ended last term', () => {
  const terms = [
    { term: 1, leader: 'n1', cause: 'start', active_at_ms: 1000, ended_at_ms: 5000, gap_ms: null, previous_leader: null },
    { term: 2, leader: 'n2', cause: 'crash', active_at_ms: 5184, ended_at_ms: 9000, gap_ms: 184, previous_leader: 'n1' },
    { term: 3, leader: 'n3', cause: 'hang', active_at_ms: 9500, ended_at_ms: null, previous_leader: 'n2' },
  ];
  const t = L.fromHistory(terms, null, 20000);
  assert.deepEqual(t.segs.map((s) => [s.leader, s.start, s.end, s.cause]),
    [['n1', 1000, 5000, 'start'], ['n2', 5184, 9000, 'crash'], ['n3', 9500, 20000, 'hang']]);
  assert.deepEqual(t.gaps, [{ start: 5000, end: 5184 }, { start: 9000, end: 9500 }]);

  const ended = L.fromHistory([{ ...terms[0] }], null, 8000);
  assert.deepEqual(ended.gaps, [{ start: 5000, end: 8000 }], 'no term after the last one ended: no ACTIVE since');
  const live = L.fromHistory(terms, { start: 19000, end: null }, 20000);
  assert.deepEqual(live.gaps[live.gaps.length - 1], { start: 19000, end: 20000 }, 'the feed knows of a gap the history does not yet');
  assert.deepEqual(L.fromHistory([], null, 1).segs, []);
});

test('activeFrom picks the leader of the highest term any member names', () => {
  const c = { members: [
    { id: 'n1', reachable: false, status: null },
    { id: 'n2', reachable: true, status: { leader: { id: 'n2', term: 5 } } },
    { id: 'n3', reachable: true, status: { leader: { id: 'n1', term: 4 } } },
  ] };
  assert.deepEqual(L.activeFrom(c), ['n2', 5]);
  assert.deepEqual(L.activeFrom({ members: [{ id: 'n1', status: { leader: null } }] }), [null, 0]);
});

test('lag comes from the ACTIVE\'s view of the member, lease from the leader\'s own status', () => {
  const active = { id: 'n1', role: 'ACTIVE', members: [{ id: 'n1', lagEntries: null }, { id: 'n2', lagEntries: 4 }] };
  assert.equal(L.lagText({ id: 'n2', leaderCommitIndex: 1, appliedIndex: 1 }, active), '4 entries');
  assert.equal(L.lagText({ id: 'n3', leaderCommitIndex: 12, appliedIndex: 9 }, active), '3 entries');
  assert.equal(L.lagText({ id: 'n3', leaderCommitIndex: 9, appliedIndex: 12 }, null), '0 entries');
  assert.equal(L.lagText({ id: 'n3' }, null), '\u2014');
  assert.equal(L.leaseText({ leaseRemainingMs: 850 }), '850 ms');
  assert.equal(L.leaseText({ leaseRemainingMs: 0 }), '0 ms');
  assert.equal(L.leaseText({ leaseRemainingMs: null }), '\u2014');
  assert.equal(L.leaseText({}), '\u2014');
});

test('a member still catching up is shown as joining, from the ACTIVE\'s table or its own', () => {
  const active = { id: 'n1', role: 'ACTIVE', members: [{ id: 'n1', status: 'voter' }, { id: 'n4', status: 'joining' }] };
  assert.equal(L.roleText({ id: 'n4', role: 'STANDBY' }, active), 'STANDBY (joining)');
  assert.equal(L.roleText({ id: 'n1', role: 'ACTIVE' }, active), 'ACTIVE');
  assert.equal(L.roleText({ id: 'n4', role: 'STANDBY', members: [{ id: 'n4', status: 'joining' }] }, null), 'STANDBY (joining)');
  assert.equal(L.roleText({ id: 'n4', role: 'STANDBY', members: [{ id: 'n4' }] }, null), 'STANDBY');
  assert.equal(L.roleText({ id: 'n9' }, null), '\u2014');
});
