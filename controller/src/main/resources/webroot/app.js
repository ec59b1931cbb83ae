'use strict';
// The dashboard of `rigger serve`: a hosts x tasks grid of one run, fed by the run's event stream.
// Plain DOM, no framework: every value from the server goes in as text, never as HTML.
(() => {
  const TOKEN_KEY = 'rigger.token';
  const POLL_MS = 1000;
  const BUSY_POLL_MS = 5000;
  const HIDDEN_POLL_MS = 10000;
  const RETRY_MS = 2000;
  const LABELS = {
    pending: '·', running: '…', ok: 'ok', changed: 'chg', failed: 'fail',
    skipped: 'skip', unreachable: 'unr', lost: 'lost', cancelled: 'cxl',
  };
  const COUNTS = ['ok', 'changed', 'failed', 'skipped', 'unreachable', 'ignored'];

  const state = {
    token: null,
    hosts: [],          // /api/hosts
    runs: [],           // /api/runs, newest first
    pinned: null,       // a run the user chose; null follows the newest
    run: null,          // RunInfo of the run on the grid
    generation: 0,      // bumps whenever the grid is rebuilt, so late events of an old stream are dropped
    stream: null,       // AbortController of the open event stream
    columns: [],        // taskKeys, in plan order
    cells: new Map(),   // host + '\n' + taskKey -> td
    recap: {},          // host -> counts, live
    headers: new Map(), // host -> its row header
    factsHost: null,
    loadFailed: false,  // the message area shows that the last look at hosts and runs failed
  };

  const $ = (selector) => document.querySelector(selector);

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'className') node.className = value;
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  // ---- token -------------------------------------------------------------------------------------

  // The token travels in the fragment, which browsers never send; it is kept for this tab only and
  // taken out of the address bar so that it does not end up in history or on a screenshot.
  function takeToken() {
    const match = /(?:^#|&)token=([^&]*)/.exec(location.hash);
    if (match) {
      let token = match[1];
      try {
        token = decodeURIComponent(token);
      } catch (e) {
        // not percent-encoded after all: use it as it stands
      }
      sessionStorage.setItem(TOKEN_KEY, token);
      history.replaceState(null, '', location.pathname + location.search);
    }
    return sessionStorage.getItem(TOKEN_KEY);
  }

  function forgetToken() {
    sessionStorage.removeItem(TOKEN_KEY);
    state.token = null;
    $('#dashboard').hidden = true;
    $('#token-form').hidden = false;
  }

  // ---- API ---------------------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, body, what) {
      super((body && body.error) || ('HTTP ' + status));
      this.status = status;
      this.body = body || {};
      this.what = what;
    }
  }

  async function api(method, path, body) {
    const headers = { Authorization: 'Bearer ' + state.token, Accept: 'application/json' };
    const init = { method, headers, cache: 'no-store' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (e) {
      throw new ApiError(0, { error: 'the server does not answer' }, method + ' ' + path);
    }
    const text = await response.text();
    let json;
    try {
      json = text ? JSON.parse(text) : {};
    } catch (e) {
      json = { error: text.slice(0, 200) };
    }
    if (response.status === 401) {
      forgetToken();
      showMessage('error', 'The server refused the token: ' + (json.error || 'unauthorized') + '. Enter it again.');
    }
    if (!response.ok) throw new ApiError(response.status, json, method + ' ' + path);
    return json;
  }

  const enc = encodeURIComponent;

  // ---- messages ----------------------------------------------------------------------------------

  function showMessage(kind, text, action) {
    const box = $('#message');
    box.title = '';
    state.loadFailed = false;
    box.replaceChildren(el('span', { className: 'text' }, text));
    if (action) {
      const button = el('button', { type: 'button' }, action.label);
      button.addEventListener('click', action.run);
      box.append(' ', button);
    }
    const dismiss = el('button', { type: 'button', className: 'dismiss', 'aria-label': 'Dismiss message' }, '×');
    dismiss.addEventListener('click', () => { box.hidden = true; });
    box.append(dismiss);
    box.dataset.kind = kind;
    // errors interrupt a screen reader; news that a run started waits its turn
    box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    box.setAttribute('aria-live', kind === 'error' ? 'assertive' : 'polite');
    box.hidden = false;
  }

  function showError(err, doing) {
    if (err.status === 401) return;
    let text = doing + ': ' + err.message + (err.status ? ' (HTTP ' + err.status + ')' : '');
    let action = null;
    const running = err.status === 409 && err.body.running;
    if (running) {
      if (!err.message.includes(running)) text += '; run ' + running + ' is in progress';
      action = { label: 'Show run ' + running, run: () => chooseRun(running) };
    }
    showMessage('error', text, action);
    $('#message').title = err.what || '';
  }

  // ---- the grid ----------------------------------------------------------------------------------

  function cellKey(host, taskKey) {
    return host + '\n' + taskKey;
  }

  function hostInfo(name) {
    return state.hosts.find((h) => h.name === name) || { name, groups: [], connected: false };
  }

  function rowHosts(run) {
    const names = state.hosts.map((h) => h.name);
    for (const h of (run && run.hosts) || []) if (!names.includes(h)) names.push(h);
    return names;
  }

  function buildGrid(run) {
    state.columns = [];
    state.cells = new Map();
    state.recap = {};
    const head = el('tr', {}, el('th', { scope: 'col', className: 'host-col' }, 'Host'),
      el('th', { scope: 'col', className: 'recap-col' }, 'Recap'));
    $('#grid thead').replaceChildren(head);
    $('#grid tbody').replaceChildren();
    for (const name of rowHosts(run)) addRow(name, ((run && run.hosts) || []).includes(name));
    for (const t of (run && run.tasks) || []) addColumn(t.taskKey, t.play, t.task);
    renderStatus();
  }

  function rowOf(host) {
    return [...$('#grid tbody').rows].find((r) => r.dataset.host === host) || null;
  }

  // Row headers (with their buttons) outlive grid rebuilds, so a click never lands on a replaced button.
  function headerOf(host) {
    let th = state.headers.get(host);
    if (!th) {
      th = el('th', { scope: 'row', className: 'host' });
      state.headers.set(host, th);
    }
    return th;
  }

  function addRow(host, inRun) {
    const row = el('tr', { 'data-host': host, 'data-in-run': 'false' }, headerOf(host),
      el('td', { className: 'outside', colspan: Math.max(state.columns.length, 1) }, 'not in this run'),
      el('td', { className: 'recap' }));
    $('#grid tbody').append(row);
    if (inRun) joinRun(row);
    renderHostHeader(row);
    return row;
  }

  function joinRun(row) {
    const host = row.dataset.host;
    row.dataset.inRun = 'true';
    row.querySelector('td.outside').remove();
    state.recap[host] = state.recap[host] || Object.fromEntries(COUNTS.map((c) => [c, 0]));
    for (const taskKey of state.columns) row.insertBefore(newCell(host, taskKey), row.lastElementChild);
    renderRecap(host);
  }

  // A host that the run's events name but its plan did not (or a host new to /api/hosts).
  function ensureRunHost(host) {
    const row = rowOf(host);
    if (!row) addRow(host, true);
    else if (row.dataset.inRun !== 'true') joinRun(row);
  }

  function newCell(host, taskKey) {
    const td = el('td', { className: 'cell', 'data-host': host, 'data-task': taskKey });
    state.cells.set(cellKey(host, taskKey), td);
    setCell(td, 'pending');
    return td;
  }

  function addColumn(taskKey, play, task) {
    if (state.columns.includes(taskKey)) return;
    state.columns.push(taskKey);
    const headRow = $('#grid thead tr');
    const name = task || taskKey.split('/').pop();
    headRow.insertBefore(el('th', { scope: 'col', className: 'task', title: taskKey, 'data-task': taskKey },
      el('span', {}, name)), headRow.lastElementChild);
    for (const row of $('#grid tbody').rows) {
      if (row.dataset.inRun === 'true') {
        row.insertBefore(newCell(row.dataset.host, taskKey), row.lastElementChild);
      } else {
        row.querySelector('.outside').colSpan = state.columns.length;
      }
    }
  }

  function setCell(td, status, detail) {
    td.dataset.status = status;
    td.textContent = LABELS[status] || status;
    const text = td.dataset.host + ' · ' + td.dataset.task + ': ' + status + (detail ? ' — ' + detail : '');
    td.title = text;
    td.setAttribute('aria-label', text);
  }

  function cellFor(host, taskKey, play, task) {
    ensureRunHost(host);
    addColumn(taskKey, play, task);
    return state.cells.get(cellKey(host, taskKey));
  }

  // Built once per row and then only updated: replacing the buttons on every poll would drop a click
  // (or the keyboard focus) that lands between two polls.
  function renderHostHeader(row) {
    const host = hostInfo(row.dataset.host);
    const th = row.cells[0];
    if (!th.firstChild) {
      th.append(
        el('span', { className: 'conn' }),
        el('span', { className: 'name' }, host.name),
        el('span', { className: 'address' }),
        el('span', { className: 'actions' },
          el('button', { type: 'button', 'data-action': 'facts', 'data-host': host.name,
            'aria-label': 'Facts of ' + host.name }, 'facts'),
          el('button', { type: 'button', 'data-action': 'reprepare', 'data-host': host.name,
            'aria-label': 'Re-prepare ' + host.name }, 're-prepare')),
        el('span', { className: 'failure' }));
    }
    const conn = th.querySelector('.conn');
    conn.dataset.connected = host.connected ? 'true' : 'false';
    conn.title = host.connected ? 'agent connected' : 'agent not connected';
    th.querySelector('.address').textContent = host.address || '';
    const failure = th.querySelector('.failure');
    const failed = host.firstFailure;
    failure.hidden = !failed;
    failure.textContent = failed ? 'failed: ' + String(failed.task || '').split('/').pop() : '';
    failure.title = failed ? (failed.msg || failed.task || '') : '';
  }

  function renderRecap(host) {
    const row = rowOf(host);
    const counts = state.recap[host];
    if (!row || !counts) return;
    const shown = COUNTS.filter((c) => counts[c] > 0 || c === 'ok' || c === 'failed');
    row.lastElementChild.textContent = shown.map((c) => c + '=' + counts[c]).join(' ');
  }

  function renderStatus() {
    const line = $('#run-status');
    const run = state.run;
    if (!run) {
      line.textContent = 'No run yet. Start one below.';
      delete line.dataset.runId;
      delete line.dataset.runStatus;
      return;
    }
    const totals = Object.fromEntries(COUNTS.map((c) => [c, 0]));
    for (const counts of Object.values(state.recap)) for (const c of COUNTS) totals[c] += counts[c] || 0;
    const parts = ['Run ' + run.id, run.playbook];
    if (run.limit) parts.push('limit ' + run.limit);
    if (run.check) parts.push('check mode');
    parts.push(run.status + (run.error ? ': ' + run.error : ''));
    parts.push(COUNTS.map((c) => c + '=' + totals[c]).join(' '));
    line.textContent = parts.join(' · ');
    line.dataset.runId = run.id;
    line.dataset.runStatus = run.status;
  }

  // ---- events ------------------------------------------------------------------------------------

  function statusOf(result) {
    const s = (result && result.status) || 'failed';
    if (s === 'failed' || s === 'skipped' || s === 'cancelled') return s;
    return s === 'changed' || (result && result.changed) ? 'changed' : 'ok';
  }

  function count(host, what) {
    const counts = state.recap[host];
    if (counts) counts[what]++;
    renderRecap(host);
  }

  const handlers = {
    PlayStarted(e) {
      (e.hosts || []).forEach(ensureRunHost);
    },
    HostConnected(e) {
      const host = hostInfo(e.host);
      if (state.hosts.includes(host)) host.connected = true;
      const row = rowOf(e.host);
      if (row) renderHostHeader(row);
    },
    HostUnreachable(e) {
      ensureRunHost(e.host);
      for (const taskKey of state.columns) {
        const td = state.cells.get(cellKey(e.host, taskKey));
        if (td && (td.dataset.status === 'pending' || td.dataset.status === 'running')) setCell(td, 'unreachable', e.msg);
      }
      count(e.host, 'unreachable');
    },
    TaskStarted(e) {
      setCell(cellFor(e.host, e.taskKey, e.play, e.task), 'running');
    },
    TaskFinished(e) {
      const td = cellFor(e.host, e.taskKey, e.play, e.task);
      const isItem = e.item !== undefined && e.item !== null && !e.loopSummary;
      if (isItem) {
        setCell(td, 'running', 'item ' + JSON.stringify(e.item) + ': ' + statusOf(e.result));
        return;
      }
      // A lost host's task is reported failed afterwards; the cell keeps saying why.
      const status = td.dataset.status === 'lost' ? 'lost' : statusOf(e.result);
      setCell(td, status, (e.ignored ? 'ignored — ' : '') + ((e.result && e.result.msg) || ''));
      if (e.ignored) {
        td.dataset.ignored = 'true';
        td.textContent = 'ign';
      }
      if (e.ignored) count(e.host, 'ignored');
      else if (status === 'lost') count(e.host, 'failed');
      // a cancelled task is neither ok nor failed: the cell says so, the counts leave it out
      else if (status === 'cancelled') return;
      else if (status === 'failed' || status === 'skipped') count(e.host, status);
      else {
        count(e.host, 'ok');
        if (status === 'changed') count(e.host, 'changed');
      }
    },
    // The agent went away in the middle of a task: that task, or else whatever was running there.
    HostLost(e) {
      ensureRunHost(e.host);
      const byKey = state.cells.get(cellKey(e.host, e.taskKey || e.task));
      const targets = byKey ? [byKey] : state.columns
        .map((k) => state.cells.get(cellKey(e.host, k)))
        .filter((td) => td && td.dataset.status === 'running');
      targets.forEach((td) => setCell(td, 'lost', e.msg));
    },
    PlayAborted(e) {
      showMessage('error', 'Play "' + e.play + '" was aborted: ' + (e.msg || ''));
    },
    RunFinished(e) {
      if (state.run) state.run.endSeen = true;
      for (const [host, counts] of Object.entries(e.recap || {})) {
        ensureRunHost(host);
        state.recap[host] = Object.fromEntries(COUNTS.map((c) => [c, counts[c] || 0]));
        renderRecap(host);
      }
    },
  };

  function onEvent(type, event) {
    const handler = handlers[event.event || type];
    if (handler) handler(event);
    renderStatus();
  }

  // EventSource cannot send the Authorization header, so the stream is read and split by hand
  // (the text/event-stream rules: fields per line, a blank line ends a message).
  async function streamEvents(runId, generation) {
    const controller = new AbortController();
    state.stream = controller;
    let finished = false;
    try {
      const response = await fetch('/api/runs/' + enc(runId) + '/events', {
        headers: { Authorization: 'Bearer ' + state.token, Accept: 'text/event-stream' },
        cache: 'no-store', signal: controller.signal,
      });
      if (!response.ok) {
        const body = await response.json().catch(() => ({}));
        if (response.status === 401) forgetToken();
        throw new ApiError(response.status, body, 'GET /api/runs/' + runId + '/events');
      }
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      let type = '';
      let data = [];
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let match;
        while ((match = /\r\n|\r|\n/.exec(buffer))) {
          if (match[0] === '\r' && match.index === buffer.length - 1) break; // "\r\n" split across chunks
          const line = buffer.slice(0, match.index);
          buffer = buffer.slice(match.index + match[0].length);
          if (line === '') {
            if (data.length && generation === state.generation) {
              const event = JSON.parse(data.join('\n'));
              onEvent(type, event);
              if ((event.event || type) === 'RunFinished') finished = true;
            }
            type = '';
            data = [];
          } else if (!line.startsWith(':')) {
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            let val = colon < 0 ? '' : line.slice(colon + 1);
            if (val.startsWith(' ')) val = val.slice(1);
            if (field === 'event') type = val;
            else if (field === 'data') data.push(val);
          }
        }
        if (generation !== state.generation) return;
      }
    } catch (e) {
      if (e.name === 'AbortError' || generation !== state.generation) return;
      if (!(e instanceof ApiError)) e.what = 'GET /api/runs/' + runId + '/events';
      showError(e, 'Following run ' + runId);
    }
    if (state.stream === controller) state.stream = null;
    if (generation !== state.generation || !state.token) return;
    const info = await reloadRunInfo(runId, generation);
    if (!finished && generation === state.generation && (!info || info.status === 'running')) {
      // The stream broke while the run went on: rebuild the grid from a fresh replay.
      setTimeout(() => { if (generation === state.generation) showRun(runId); }, RETRY_MS);
    }
  }

  // After the stream: the run's final status (or why it could not run at all), and the hosts' new state.
  async function reloadRunInfo(runId, generation) {
    try {
      const info = await api('GET', '/api/runs/' + enc(runId));
      if (generation !== state.generation) return info;
      state.run = info;
      renderStatus();
      await refresh();
      return info;
    } catch (e) {
      showError(e, 'Reading run ' + runId);
      return null;
    }
  }

  // ---- runs --------------------------------------------------------------------------------------

  async function showRun(runId) {
    const generation = ++state.generation;
    if (state.stream) state.stream.abort();
    state.stream = null;
    if (!runId) {
      state.run = null;
      buildGrid(null);
      return;
    }
    let info;
    try {
      info = await api('GET', '/api/runs/' + enc(runId));
    } catch (e) {
      showError(e, 'Reading run ' + runId);
      return;
    }
    if (generation !== state.generation) return;
    state.run = info;
    buildGrid(info);
    streamEvents(runId, generation);
  }

  function chooseRun(runId) {
    state.pinned = runId || null;
    renderRunSelect();
    showRun(runId || (state.runs[0] && state.runs[0].id));
  }

  function renderRunSelect() {
    const select = $('#run-select');
    const ids = state.runs.map((r) => r.id);
    if (state.pinned && !ids.includes(state.pinned)) ids.unshift(state.pinned);
    const options = [el('option', { value: '' }, 'newest (follow)')];
    for (const id of ids) {
      const run = state.runs.find((r) => r.id === id);
      options.push(el('option', { value: id }, id + (run ? ' · ' + run.playbook + ' · ' + run.status : '')));
    }
    select.replaceChildren(...options);
    select.value = state.pinned || '';
  }

  // Follows the newest run unless one was chosen; a run started from this page is shown at once,
  // before the run list has caught up with it.
  function wantedRun() {
    if (state.pinned) return state.pinned;
    const current = state.run && state.run.id;
    if (current && !state.runs.some((r) => r.id === current)) return current;
    return (state.runs[0] && state.runs[0].id) || null;
  }

  async function refresh() {
    if (!state.token) return;
    let hosts;
    let runs;
    try {
      [hosts, runs] = await Promise.all([api('GET', '/api/hosts'), api('GET', '/api/runs')]);
    } catch (e) {
      showError(e, 'Loading hosts and runs');
      state.loadFailed = true;
      return;
    }
    if (state.loadFailed) {
      // the server is back: the message about it being away is stale
      $('#message').hidden = true;
      state.loadFailed = false;
    }
    state.hosts = hosts.hosts || [];
    state.runs = runs.runs || [];
    renderRunSelect();
    const wanted = wantedRun();
    const stalled = state.run && state.run.status === 'running' && !state.stream && !state.run.endSeen;
    if (wanted !== ((state.run && state.run.id) || null) || stalled) {
      await showRun(wanted);
      return;
    }
    for (const host of state.hosts) if (!rowOf(host.name)) addRow(host.name, false);
    for (const row of $('#grid tbody').rows) renderHostHeader(row);
  }

  // Only one run goes at a time: while the grid streams it, nothing new can start, so look less often.
  async function poll() {
    await refresh();
    const streaming = state.stream && state.run && state.run.status === 'running';
    setTimeout(poll, document.hidden ? HIDDEN_POLL_MS : streaming ? BUSY_POLL_MS : POLL_MS);
  }

  async function startRun(body, doing) {
    try {
      const started = await api('POST', doing.path, body);
      showMessage('info', doing.text + ': run ' + started.id + ' started.');
      if (state.pinned) state.pinned = started.id;
      await showRun(started.id);
      renderRunSelect();
    } catch (e) {
      showError(e, doing.text);
    }
  }

  // ---- facts -------------------------------------------------------------------------------------

  function bytes(n) {
    if (typeof n !== 'number') return '?';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    let v = n;
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return (i === 0 ? v : v.toFixed(1)) + ' ' + units[i];
  }

  function age(sec) {
    if (typeof sec !== 'number') return '';
    if (sec < 120) return sec + ' s ago';
    if (sec < 7200) return Math.round(sec / 60) + ' min ago';
    if (sec < 172800) return Math.round(sec / 3600) + ' h ago';
    return Math.round(sec / 86400) + ' d ago';
  }

  // Disks with their partitions beneath them; loop devices only when there is nothing else.
  function disksOf(facts) {
    const rows = [];
    const shown = new Set();
    const devices = facts.blockDevices || [];
    const real = devices.filter((d) => d.type !== 'loop')
      .sort((a, b) => (a.type === 'disk' ? 0 : 1) - (b.type === 'disk' ? 0 : 1));
    const add = (d, depth) => {
      if (shown.has(d.name)) return;
      shown.add(d.name);
      rows.push(el('tr', { 'data-device': d.name },
        el('td', {}, (depth ? '└ ' : '') + d.name),
        el('td', {}, d.path || ''),
        el('td', { className: 'num' }, bytes(d.sizeBytes)),
        el('td', {}, d.fsType || ''),
        el('td', {}, (d.mountpoints || []).join(', '))));
      for (const p of d.partitions || []) add(p, depth + 1);
    };
    (real.length ? real : devices).forEach((d) => add(d, 0));
    return el('table', { className: 'disks' },
      el('caption', {}, 'Disks'),
      el('thead', {}, el('tr', {}, ['Name', 'Path', 'Size', 'Filesystem', 'Mounted on'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, rows));
  }

  function renderFacts(answer) {
    const f = answer.facts || {};
    const os = f.os || {};
    const route = f.defaultIpv4 || {};
    const item = (term, value, key) => [el('dt', {}, term), el('dd', { 'data-fact': key }, value)];
    $('#facts-heading').textContent = 'Facts of ' + answer.host;
    $('#facts-body').replaceChildren(
      el('dl', {},
        item('Hostname', f.hostname || '?', 'hostname'),
        item('OS', [os.name, os.version].filter(Boolean).join(' ')
          + (os.kernel ? ' (kernel ' + os.kernel + (os.arch ? ', ' + os.arch : '') + ')' : ''), 'os'),
        item('CPUs', String(f.cpuCount ?? '?'), 'cpus'),
        f.cpuModel ? item('CPU model', f.cpuModel, 'cpu-model') : null,
        item('Memory', bytes(f.memTotalBytes) + (f.memory && typeof f.memory.availableBytes === 'number'
          ? ', ' + bytes(f.memory.availableBytes) + ' available' : ''), 'memory'),
        item('Default IPv4', route.address
          ? route.address + ' on ' + (route.interfaceName || '?') + (route.gateway ? ' via ' + route.gateway : '')
          : 'none', 'ipv4'),
        item('Source', (answer.source === 'live' ? 'live from the agent' : 'cache')
          + (answer.gatheredAt ? ', gathered ' + answer.gatheredAt.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC') : '')
          + (typeof answer.ageSec === 'number' ? ' (' + age(answer.ageSec) + ')' : '')
          + (answer.unreachable ? '; not reachable now: ' + answer.unreachable : ''), 'source')),
      disksOf(f));
    $('#facts-panel').dataset.source = answer.source || '';
  }

  async function showFacts(host, refreshFacts) {
    state.factsHost = host;
    const panel = $('#facts-panel');
    panel.hidden = false;
    panel.dataset.host = host;
    $('#facts-heading').textContent = 'Facts of ' + host;
    $('#facts-body').replaceChildren(el('p', {}, refreshFacts ? 'Gathering…' : 'Loading…'));
    try {
      const answer = await api('GET', '/api/hosts/' + enc(host) + '/facts' + (refreshFacts ? '?refresh=true' : ''));
      if (state.factsHost === host) renderFacts(answer);
    } catch (e) {
      $('#facts-body').replaceChildren(el('p', {}, 'No facts: ' + e.message));
      showError(e, 'Facts of ' + host);
    }
  }

  // ---- wiring ------------------------------------------------------------------------------------

  function start() {
    state.token = takeToken();
    if (!state.token) {
      $('#token-form').hidden = false;
      $('#dashboard').hidden = true;
      return;
    }
    $('#token-form').hidden = true;
    $('#dashboard').hidden = false;
    if (!start.wired) wire();
    if (start.polling) {
      refresh();
    } else {
      start.polling = true;
      poll();
    }
  }

  function wire() {
    start.wired = true;
    $('#start-run-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const limit = $('#run-limit').value.trim();
      startRun({ playbook: $('#run-playbook').value.trim(), limit: limit || null,
        check: $('#run-check').checked, extraVars: {} }, { path: '/api/runs', text: 'Starting a run' });
    });
    $('#run-select').addEventListener('change', (ev) => chooseRun(ev.target.value));
    $('#grid').addEventListener('click', (ev) => {
      const button = ev.target.closest('button[data-action]');
      if (!button) return;
      const host = button.dataset.host;
      if (button.dataset.action === 'facts') showFacts(host, false);
      if (button.dataset.action === 'reprepare') {
        startRun({}, { path: '/api/hosts/' + enc(host) + '/reprepare', text: 'Re-preparing ' + host });
      }
    });
    $('#facts-refresh').addEventListener('click', () => state.factsHost && showFacts(state.factsHost, true));
    $('#facts-close').addEventListener('click', () => {
      $('#facts-panel').hidden = true;
      state.factsHost = null;
    });
  }

  $('#token-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('#token-input').value.trim());
    $('#token-input').value = '';
    $('#message').hidden = true;
    start();
  });
  // A link with a new token may be opened on a page that is already loaded: only the fragment changes.
  window.addEventListener('hashchange', () => {
    if (/(?:^#|&)token=/.test(location.hash)) {
      $('#message').hidden = true;
      start();
    }
  });
  start();
})();
