// Baton status page. Plain JS, no library, no build step; everything comes from the node that
// served this page (same origin): /v1/cluster (every member's status, polled), /v1/leader/watch
// (server-sent events, read with fetch so that a bearer token can be sent) and /v1/history
// (the replicated leadership history; when the node has none, the page draws what it saw itself).
'use strict';

const POLL_MS = 2000;          // the per-node table
const HISTORY_MS = 5000;       // /v1/history, when the node has it
const WATCH_SILENCE_MS = 35000; // no byte (not even a keep-alive) this long: the stream is dead
const MIN_SPAN_MS = 30000;     // the timeline shows at least this much time
const TOKEN_KEY = 'baton.token';
const SVG = 'http://www.w3.org/2000/svg';
const PALETTE = ['#1f6f43', '#2f5d8a', '#7a4e9c', '#a05a00', '#00796b', '#8a3f5d', '#4b6b1f', '#5d4037'];

const state = {
  token: sessionStorage.getItem(TOKEN_KEY),
  nodes: [],                 // member ids in the order the cluster reports them
  active: null,              // {id, term, source}
  feedLive: false,
  history: null,             // terms from /v1/history, or null when it is absent
  historyMissing: false,
  observed: [],              // {leader, term, start, end|null} seen over the feed since the page opened
  observedGaps: [],          // {start, end|null}: the feed said no leader
  openedAt: Date.now(),
};

const $ = (id) => document.getElementById(id);

// ---- requests -----------------------------------------------------------------------------

class Unauthorized extends Error {}

function headers() {
  return state.token ? { Authorization: 'Bearer ' + state.token } : {};
}

async function getJson(path) {
  const rsp = await fetch(path, { headers: headers(), cache: 'no-store' });
  if (rsp.status === 401 || rsp.status === 403) {
    const body = await rsp.json().catch(() => ({}));
    throw new Unauthorized(body.message || ('HTTP ' + rsp.status));
  }
  return rsp;
}

function askForToken(message) {
  $('token-form').hidden = false;
  const err = $('token-error');
  err.textContent = message;
  err.hidden = !message;
}

// ---- the active node ----------------------------------------------------------------------

function showActive(id, term, source) {
  const prev = state.active;
  state.active = id ? { id, term, source } : null;
  const box = $('active');
  box.classList.toggle('none', !id);
  box.dataset.source = source;
  $('active-id').textContent = id || 'none known';
  $('active-term').textContent = term ? 'term ' + term : '';
  document.title = (id ? id + ' active' : 'no active') + ' \u00b7 Baton';
  if (!prev || prev.id !== id || prev.term !== term) {
    logEvent(id ? id + ' is ACTIVE at term ' + term : 'no ACTIVE node known' + (term ? ' (term ' + term + ')' : ''), source);
  }
}

function logEvent(text, source) {
  const li = document.createElement('li');
  const t = document.createElement('time');
  t.textContent = clock(Date.now());
  li.append(t, text + (source ? ' (' + source + ')' : ''));
  const list = $('events');
  list.prepend(li);
  while (list.children.length > 50) list.lastChild.remove();
}

// ---- leader feed over server-sent events --------------------------------------------------

function setFeed(s) {
  state.feedLive = s === 'live';
  const el = $('feed-state');
  el.dataset.state = s;
  el.textContent = { live: 'live', polling: 'polling (no live feed)', connecting: 'connecting', offline: 'node not answering' }[s];
}

function onFeedEvent(type, data) {
  BatonLogic.applyFeedEvent(state.observed, state.observedGaps, type, data, Date.now());
  if (type === 'leader') showActive(data.id, data.term, 'sse');
  else if (type === 'no_leader') showActive(null, data.term, 'sse');
  drawTimeline();
  pollNow(); // the table follows at once, not at the next round
  if (!state.historyMissing) refreshHistory();
}

async function watch() {
  for (let delay = 500; ; delay = Math.min(delay * 2, 5000)) {
    const ctrl = new AbortController();
    let silence;
    const arm = () => { clearTimeout(silence); silence = setTimeout(() => ctrl.abort(), WATCH_SILENCE_MS); };
    try {
      arm();
      const rsp = await getJson('/v1/leader/watch').catch((e) => { throw e; });
      if (!rsp.ok || !rsp.body) throw new Error('watch answered ' + rsp.status);
      setFeed('live');
      delay = 500;
      const reader = rsp.body.pipeThrough(new TextDecoderStream()).getReader();
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        arm();
        buf += value.replace(/\r\n?/g, '\n');
        let end;
        while ((end = buf.indexOf('\n\n')) >= 0) {
          const ev = BatonLogic.parseEvent(buf.slice(0, end));
          buf = buf.slice(end + 2);
          if (ev) onFeedEvent(ev.type, ev.data);
        }
      }
    } catch (e) {
      if (e instanceof Unauthorized) askForToken(state.token ? 'the token was refused: ' + e.message : '');
    } finally {
      clearTimeout(silence);
      ctrl.abort();
    }
    setFeed('polling'); // the poll keeps the page current until the stream is back
    await sleep(delay);
  }
}

// ---- the per-node table (poll) ------------------------------------------------------------

async function poll() {
  for (;;) {
    try {
      const rsp = await getJson('/v1/cluster');
      if (!rsp.ok) throw new Error('/v1/cluster answered ' + rsp.status);
      const c = await rsp.json();
      $('token-form').hidden = true;
      $('nodes-error').hidden = true;
      $('served-by').textContent = 'page served by ' + c.servedBy;
      renderNodes(c);
      if (!state.feedLive) showActive(...BatonLogic.activeFrom(c), 'poll');
      if (!state.feedLive && $('feed-state').dataset.state === 'offline') setFeed('polling');
    } catch (e) {
      if (e instanceof Unauthorized) {
        askForToken(state.token ? 'the token was refused: ' + e.message : '');
      } else {
        $('nodes-error').textContent = 'cannot reach the node that served this page: ' + e.message;
        $('nodes-error').hidden = false;
        if (!state.feedLive) setFeed('offline');
      }
    }
    await new Promise((resolve) => {
      wakePoll = resolve;
      setTimeout(resolve, POLL_MS);
    });
  }
}

let wakePoll = () => {};

// Ends the poll's wait: a leader change makes every node's row stale.
function pollNow() {
  wakePoll();
}

function renderNodes(c) {
  state.nodes = c.members.map((m) => m.id);
  const activeMember = c.members.find((m) => m.status && m.status.role === 'ACTIVE');
  const active = activeMember ? activeMember.status : null;
  const rows = c.members.map((m) => {
    const s = m.status || {};
    const tr = document.createElement('tr');
    tr.dataset.node = m.id;
    tr.className = m.reachable && m.status ? '' : 'unreachable';
    const health = s.health ? s.health.state + (s.health.reason ? ': ' + s.health.reason : '') : '';
    cell(tr, 'node', m.id, 'id');
    cell(tr, 'role', BatonLogic.roleText(s, active), 'role role-' + (s.role || 'none'));
    cell(tr, 'term', s.term ?? '\u2014', 'num term');
    cell(tr, 'leader', s.leader ? s.leader.id : '\u2014', 'leader');
    cell(tr, 'lag', BatonLogic.lagText(s, active), 'num lag');
    cell(tr, 'lease', BatonLogic.leaseText(s), 'num lease');
    cell(tr, 'health', (health || '\u2014') + (s.problem ? ' \u2014 ' + s.problem : ''),
      'health' + (s.health && s.health.state !== 'ok' || s.problem ? ' bad' : ''));
    cell(tr, 'reachable', m.reachable && m.status ? 'yes' : m.reachable ? 'refused: ' + m.error : 'unreachable', 'reach');
    if (m.error) tr.title = m.error;
    return tr;
  });
  $('nodes').tBodies[0].replaceChildren(...rows);
  $('nodes-age').textContent = 'as of ' + clock(c.askedAtMs);
}

function cell(tr, label, text, cls) {
  const td = document.createElement('td');
  td.dataset.label = label;
  td.className = cls;
  td.textContent = String(text);
  tr.append(td);
}

// ---- leadership history -------------------------------------------------------------------

// The serving node may name a new ACTIVE (its feed) a moment before it has applied that leader's
// first entry, which is what records the term: a history behind the feed is asked again shortly,
// a few times, instead of showing the old timeline until the next round.
const HISTORY_CATCH_UP_MS = 300;
const HISTORY_CATCH_UP_TRIES = 10;

async function refreshHistory(tries = HISTORY_CATCH_UP_TRIES) {
  try {
    const rsp = await getJson('/v1/history');
    if (rsp.status === 404) {
      state.historyMissing = true;
      state.history = null;
    } else if (rsp.ok) {
      const h = await rsp.json();
      state.history = Array.isArray(h.terms) ? h.terms : [];
      state.historyMissing = false;
    }
  } catch (e) {
    // keep what we have; the next round tries again
  }
  drawTimeline();
  const newest = state.history && state.history.length ? state.history[state.history.length - 1].term : 0;
  if (state.history && state.active && newest < state.active.term && tries > 1) {
    setTimeout(() => refreshHistory(tries - 1), HISTORY_CATCH_UP_MS);
  }
}

async function historyLoop() {
  for (;;) {
    await refreshHistory();
    await sleep(state.historyMissing ? HISTORY_MS * 6 : HISTORY_MS);
  }
}

// What the timeline shows: the replicated history when the node has one, else what this page saw.
function timelineData(now) {
  if (state.history) {
    return { ...BatonLogic.fromHistory(state.history, BatonLogic.openGap(state.observedGaps), now),
      source: 'replicated leadership history (GET /v1/history)' };
  }
  return { ...BatonLogic.fromObserved(state.observed, state.observedGaps, now),
    source: (state.historyMissing ? 'this node has no /v1/history: ' : '')
      + 'leader changes this page saw over the live feed since ' + clock(state.openedAt) + ' (a reload starts afresh)' };
}

function drawTimeline() {
  const now = Date.now();
  const { segs, gaps, source } = timelineData(now);
  $('timeline-source').textContent = source;
  const lanes = [...state.nodes];
  for (const s of segs) if (!lanes.includes(s.leader)) lanes.push(s.leader);
  const box = $('timeline');
  const W = Math.max(320, Math.round(box.clientWidth || 600));
  const labelW = 44, laneH = 22, top = 6, axisH = 18, gapH = 10;
  const H = top + lanes.length * laneH + gapH + 4 + axisH;
  const starts = segs.map((s) => s.start).concat(gaps.map((g) => g.start));
  let t0 = starts.length ? Math.min(...starts) : state.openedAt;
  if (now - t0 < MIN_SPAN_MS) t0 = now - MIN_SPAN_MS;
  const x = (t) => labelW + (W - labelW - 8) * (t - t0) / (now - t0);
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': 'leadership timeline' });
  lanes.forEach((id, i) => {
    const y = top + i * laneH;
    svg.append(el('line', { x1: labelW, x2: W - 8, y1: y + laneH - 1, y2: y + laneH - 1, class: 'grid' }));
    svg.append(text(id, { x: 4, y: y + laneH / 2 + 4, class: 'lane-label' }));
  });
  const gapY = top + lanes.length * laneH + 2;
  svg.append(text('none', { x: 4, y: gapY + gapH - 1, class: 'lane-label' }));
  for (const s of segs) {
    const i = lanes.indexOf(s.leader);
    const r = el('rect', {
      x: x(s.start), y: top + i * laneH + 3, width: Math.max(1.5, x(s.end) - x(s.start)), height: laneH - 7,
      rx: 2, class: 'seg', fill: color(s.leader), 'data-leader': s.leader, 'data-term': s.term,
    });
    r.append(el('title', {}, `${s.leader} active, term ${s.term}${s.cause ? ' (' + s.cause + ')' : ''}: `
      + `${clock(s.start)} \u2013 ${clock(s.end)} (${BatonLogic.duration(s.end - s.start)})`));
    svg.append(r);
  }
  for (const g of gaps) {
    const r = el('rect', { x: x(g.start), y: gapY, width: Math.max(2, x(g.end) - x(g.start)), height: gapH, class: 'gap' });
    r.append(el('title', {}, `no ACTIVE: ${clock(g.start)} \u2013 ${clock(g.end)} (${BatonLogic.duration(g.end - g.start)})`));
    svg.append(r);
  }
  const axisY = gapY + gapH + 4;
  for (let k = 0; k <= 4; k++) {
    const t = t0 + (now - t0) * k / 4;
    svg.append(text(k === 4 ? 'now' : clock(t), {
      x: x(t), y: axisY + 12, class: 'axis', 'text-anchor': k === 0 ? 'start' : k === 4 ? 'end' : 'middle',
    }));
  }
  svg.append(el('line', { x1: x(now), x2: x(now), y1: top, y2: axisY, class: 'now' }));
  box.replaceChildren(svg);
  const legend = lanes.map((id) => {
    const li = document.createElement('li');
    const sw = document.createElement('span');
    sw.className = 'swatch';
    sw.style.background = color(id);
    li.append(sw, id);
    return li;
  });
  const gl = document.createElement('li');
  const gs = document.createElement('span');
  gs.className = 'swatch';
  gs.style.background = 'var(--bad)';
  gl.append(gs, 'no ACTIVE');
  $('legend').replaceChildren(...legend, gl);
}

function el(name, attrs, content) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (content !== undefined) e.textContent = content;
  return e;
}

function text(s, attrs) {
  return el('text', attrs, s);
}

function color(id) {
  const i = state.nodes.indexOf(id);
  if (i >= 0) return PALETTE[i % PALETTE.length];
  let h = 0;
  for (const c of String(id)) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length];
}

// ---- small helpers ------------------------------------------------------------------------

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pad = (n) => String(n).padStart(2, '0');

function clock(ms) {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

// ---- start --------------------------------------------------------------------------------

function start() {
  $('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const t = $('token').value.trim();
    state.token = t || null;
    if (t) sessionStorage.setItem(TOKEN_KEY, t); else sessionStorage.removeItem(TOKEN_KEY);
    $('token').value = '';
    askForToken('');
    $('token-form').hidden = true;
  });
  $('token-clear').addEventListener('click', () => {
    state.token = null;
    sessionStorage.removeItem(TOKEN_KEY);
    askForToken('');
  });
  window.addEventListener('resize', drawTimeline);
  setInterval(drawTimeline, 1000); // the "now" edge moves
  drawTimeline();
  watch();
  poll();
  historyLoop();
}

document.addEventListener('DOMContentLoaded', start);
