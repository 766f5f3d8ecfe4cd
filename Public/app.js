// Playtest web app: the live and interactive parts. Every page is complete HTML without this file;
// it adds uploads with progress, the start/stop/retry/cancel buttons, map zoom and pan, finding
// highlights, the screenshot viewer, compare selection and WebSocket live updates.

const $ = (selector, root = document) => root.querySelector(selector);
const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

/** Shows a message in the page's alert region. */
function showAlert(message) {
  const alert = $('#page-alert');
  if (!alert) return;
  alert.textContent = message;
  alert.hidden = false;
}

/** The message of an API error body ({"error":{"code","message"}}), else the status line. */
async function errorMessage(response) {
  try {
    const body = await response.json();
    if (body && body.error && body.error.message) return body.error.message;
  } catch (_) { /* not JSON */ }
  return `the server answered ${response.status} ${response.statusText}`;
}

/** The signed-in session's CSRF token: every request that changes something sends it back. */
function csrfHeaders() {
  const token = document.querySelector('meta[name="csrf-token"]')?.content;
  return token ? { 'x-csrf-token': token } : {};
}

/** Calls the JSON API; throws an Error whose message a user can read. */
async function api(method, url, body) {
  let response;
  try {
    response = await fetch(url, {
      method,
      headers: body === undefined ? csrfHeaders() : { 'content-type': 'application/json', ...csrfHeaders() },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new Error(`cannot reach the server (${error.message})`);
  }
  if (!response.ok) throw new Error(await errorMessage(response));
  return response.status === 204 ? null : response.json();
}

/** Re-renders parts of this page from a fresh copy of it, keeping what the user has open or ticked. */
async function refreshRegions(selectors, url = location.href) {
  let response;
  try {
    response = await fetch(url, { headers: { accept: 'text/html' } });
  } catch (error) {
    showAlert(`Live update failed: cannot reach the server (${error.message}).`);
    return false;
  }
  if (!response.ok) {
    showAlert(`Live update failed: the server answered ${response.status}.`);
    return false;
  }
  const fresh = new DOMParser().parseFromString(await response.text(), 'text/html');
  for (const selector of selectors) {
    const current = $(selector);
    const next = $(selector, fresh);
    if (!current || !next) continue;
    // Boxes the user could see keep their state; new ones (a layer that just appeared) keep their default.
    const boxes = new Map($$('input[type=checkbox]', current).map((box) => [box.id || box.dataset.layer, box.checked]));
    const open = new Set($$('details[open]', current).map((d) => d.id));
    current.replaceWith(next);
    for (const box of $$('input[type=checkbox]', next)) {
      const key = box.id || box.dataset.layer;
      if (key && boxes.has(key)) box.checked = boxes.get(key);
    }
    for (const details of $$('details', next)) if (details.id && open.has(details.id)) details.open = true;
    initRegion(next);
  }
  return true;
}

// ---------------------------------------------------------------- uploads

function initUpload() {
  const form = $('#upload-form');
  if (!form) return;
  const zone = $('#dropzone');
  const input = $('#upload-file');
  const progress = $('#upload-progress');
  const status = $('#upload-status');
  const say = (text, isError) => {
    status.textContent = text;
    status.classList.toggle('error', Boolean(isError));
  };
  const send = (file) => {
    if (!file) return;
    const limit = Number(form.dataset.maxBytes || 0);
    if (limit && file.size > limit) {
      say(`${file.name} is ${(file.size / 1048576).toFixed(1)} MB; the server accepts at most ${(limit / 1048576).toFixed(0)} MB.`, true);
      return;
    }
    const data = new FormData();
    const name = $('#upload-name').value.trim();
    if (name) data.append('name', name);
    data.append('file', file, file.name);
    const request = new XMLHttpRequest();
    request.open('POST', '/api/v1/maps/upload');
    for (const [name, value] of Object.entries(csrfHeaders())) request.setRequestHeader(name, value);
    progress.hidden = false;
    progress.value = 0;
    say(`Uploading ${file.name}…`);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) progress.value = Math.round((event.loaded / event.total) * 100);
    };
    request.onerror = () => say(`Upload of ${file.name} failed: cannot reach the server.`, true);
    request.onload = async () => {
      let body = null;
      try { body = JSON.parse(request.responseText); } catch (_) { /* not JSON */ }
      if (request.status === 200 || request.status === 201) {
        progress.value = 100;
        const note = body.duplicate ? ' (it was already in the library)' : '';
        say(`Uploaded ${body.name}: ${body.maps.length} map(s)${note}.`);
        form.reset();
        await refreshRegions(['#library']);
      } else {
        progress.hidden = true;
        const message = body && body.error ? body.error.message : `the server answered ${request.status}`;
        say(`Upload of ${file.name} refused: ${message}`, true);
      }
    };
    request.send(data);
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    send(input.files[0]);
  });
  for (const type of ['dragenter', 'dragover']) {
    zone.addEventListener(type, (event) => { event.preventDefault(); zone.classList.add('dragging'); });
  }
  for (const type of ['dragleave', 'drop']) {
    zone.addEventListener(type, (event) => { event.preventDefault(); zone.classList.remove('dragging'); });
  }
  zone.addEventListener('drop', (event) => send(event.dataTransfer.files[0]));
}

async function deleteMap(button) {
  const name = button.dataset.name;
  if (!confirm(`Delete ${name}? Its finished runs and their results are deleted with it.`)) return;
  button.disabled = true;
  try {
    await api('DELETE', `/api/v1/maps/${button.dataset.deleteMap}`);
    button.closest('li').remove();
  } catch (error) {
    button.disabled = false;
    showAlert(`Could not delete ${name}: ${error.message}`);
  }
}

// ---------------------------------------------------------------- map viewer

/** Zoom and pan by rewriting the SVG's viewBox. */
function initViewer(viewer) {
  const canvas = $('.map-canvas', viewer);
  const svg = canvas && $('svg', canvas);
  if (!svg || viewer.dataset.ready) return;
  viewer.dataset.ready = '1';
  const base = svg.viewBox.baseVal;
  const home = { x: base.x, y: base.y, w: base.width, h: base.height };
  let view = { ...home };
  const apply = () => svg.setAttribute('viewBox', `${view.x} ${view.y} ${view.w} ${view.h}`);
  const zoom = (factor, cx = view.x + view.w / 2, cy = view.y + view.h / 2) => {
    const w = Math.min(Math.max(view.w * factor, home.w / 40), home.w * 2);
    const scale = w / view.w;
    view = { x: cx - (cx - view.x) * scale, y: cy - (cy - view.y) * scale, w, h: view.h * scale };
    apply();
  };
  const toMap = (event) => {
    const box = svg.getBoundingClientRect();
    return { x: view.x + ((event.clientX - box.left) / box.width) * view.w, y: view.y + ((event.clientY - box.top) / box.height) * view.h };
  };
  canvas.addEventListener('wheel', (event) => {
    event.preventDefault();
    const point = toMap(event);
    zoom(event.deltaY < 0 ? 0.8 : 1.25, point.x, point.y);
  }, { passive: false });
  let drag = null;
  canvas.addEventListener('pointerdown', (event) => {
    drag = { x: event.clientX, y: event.clientY, view: { ...view } };
    canvas.setPointerCapture(event.pointerId);
    canvas.classList.add('panning');
  });
  canvas.addEventListener('pointermove', (event) => {
    if (!drag) return;
    const box = svg.getBoundingClientRect();
    view.x = drag.view.x - ((event.clientX - drag.x) / box.width) * view.w;
    view.y = drag.view.y - ((event.clientY - drag.y) / box.height) * view.h;
    apply();
  });
  const end = () => { drag = null; canvas.classList.remove('panning'); };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  canvas.addEventListener('keydown', (event) => {
    const step = view.w / 10;
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (moves[event.key]) {
      view.x += moves[event.key][0];
      view.y += moves[event.key][1];
      apply();
    } else if (event.key === '+' || event.key === '=') zoom(0.8);
    else if (event.key === '-') zoom(1.25);
    else if (event.key === '0') { view = { ...home }; apply(); } else return;
    event.preventDefault();
  });
  for (const button of $$('[data-zoom]', viewer)) {
    button.addEventListener('click', () => {
      if (button.dataset.zoom === 'in') zoom(0.8);
      else if (button.dataset.zoom === 'out') zoom(1.25);
      else { view = { ...home }; apply(); }
    });
  }
  /** Rings a point (map coordinates, y up) and centres the view on it. */
  viewer.highlight = (x, y) => {
    $$('.highlight', svg).forEach((ring) => ring.remove());
    const ring = document.createElementNS('http://www.w3.org/2000/svg', 'circle');
    const radius = home.w / 50;
    ring.setAttribute('class', 'highlight');
    ring.setAttribute('cx', x);
    ring.setAttribute('cy', -y);
    ring.setAttribute('r', radius);
    ring.setAttribute('stroke-width', radius / 4);
    svg.appendChild(ring);
    const w = home.w / 3;
    const h = home.h / 3;
    view = { x: x - w / 2, y: -y - h / 2, w, h };
    apply();
  };
}

function highlightFinding(button) {
  const viewer = $('.map-viewer');
  $$('.finding-item.active').forEach((item) => item.classList.remove('active'));
  button.closest('li').classList.add('active');
  if (viewer && viewer.highlight && button.dataset.x !== undefined) {
    viewer.highlight(Number(button.dataset.x), Number(button.dataset.y));
    $('.map-canvas', viewer).scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }
}

/** A moment of the episode video: seek there and ring its place on the run's map. */
function seekVideo(button) {
  const video = $('#episode-video');
  if (video) {
    video.currentTime = Number(button.dataset.seek);
    video.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }
  $$('#video-markers li.active').forEach((item) => item.classList.remove('active'));
  button.closest('li')?.classList.add('active');
  const viewer = $('#run-map .map-viewer');
  if (viewer && viewer.highlight) viewer.highlight(Number(button.dataset.x), Number(button.dataset.y));
}

// ---------------------------------------------------------------- starting and stopping runs

async function startRun(form) {
  const error = $('.form-error', form);
  error.hidden = true;
  const value = (name) => (form.elements[name] ? form.elements[name].value.trim() : '');
  const params = { skill: Number(value('skill') || 3) };
  if (value('episode_time')) params.episode_time = Number(value('episode_time'));
  let url;
  let body;
  if (form.dataset.start === 'testing') {
    const agent = value('agent');
    body = { map_id: form.dataset.mapId, map: form.dataset.map, agent, episodes: Number(value('episodes')), params };
    if (agent === 'dqn') body.checkpoint = value('checkpoint');
    if (form.elements.god_mode && form.elements.god_mode.checked) params.god_mode = true;
    url = '/api/v1/testing/start';
  } else {
    body = {
      map_id: form.dataset.mapId, map: form.dataset.map, max_iterations: Number(value('max_iterations')),
      action_combinations: value('action_combinations'), params,
    };
    url = '/api/v1/training/start';
  }
  const submit = $('button[type=submit]', form);
  submit.disabled = true;
  try {
    const started = await api('POST', url, body);
    location.assign(`/runs/${started.test_id || started.training_id || started.id}`);
  } catch (failure) {
    error.textContent = `Could not start: ${failure.message}`;
    error.hidden = false;
    submit.disabled = false;
  }
}

async function testCheckpoint(button) {
  button.disabled = true;
  try {
    const started = await api('POST', '/api/v1/testing/start', {
      map_id: button.dataset.mapId, map: button.dataset.map, agent: 'dqn',
      checkpoint: button.dataset.testCheckpoint, episodes: 5, params: {},
    });
    location.assign(`/runs/${started.test_id}`);
  } catch (error) {
    button.disabled = false;
    showAlert(`Could not start a test of ${button.dataset.testCheckpoint}: ${error.message}`);
  }
}

async function stopRun(button) {
  const id = button.dataset.stop;
  const kind = button.dataset.kind;
  button.disabled = true;
  button.textContent = 'Stopping…';
  try {
    if (kind === 'testing') await api('POST', '/api/v1/testing/stop', { test_id: id });
    else await api('POST', '/api/v1/training/stop', { training_id: id });
    setStatus(id, 'stopping');
  } catch (error) {
    button.disabled = false;
    button.textContent = 'Stop';
    showAlert(`Could not stop ${id}: ${error.message}`);
  }
}

async function jobAction(button) {
  const action = button.dataset.jobAction;
  button.disabled = true;
  try {
    await api('POST', `/api/v1/jobs/${encodeURIComponent(button.dataset.job)}/${action}`);
    await refreshRegions(['#queue-live']);
  } catch (error) {
    button.disabled = false;
    showAlert(`Could not ${action} job ${button.dataset.job}: ${error.message}`);
  }
}

// ---------------------------------------------------------------- live updates

function setStatus(runID, status) {
  for (const badge of $$(`[data-run-badge="${CSS.escape(runID)}"]`)) {
    badge.textContent = status;
    badge.dataset.status = status;
    badge.className = `badge status-${status}`;
  }
}

const finalStatuses = new Set(['completed', 'failed', 'stopped']);

/** A WebSocket to /ws that resubscribes after a drop, until `done()` says the run is over. */
function liveSocket(runID, onMessage, done) {
  let delay = 500;
  const connect = () => {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${scheme}://${location.host}/ws`);
    socket.addEventListener('open', () => {
      delay = 500;
      socket.send(JSON.stringify({ type: 'subscribe', run_id: runID }));
    });
    socket.addEventListener('message', (event) => {
      let message;
      try { message = JSON.parse(event.data); } catch (_) { return; }
      if (message.type === 'error') showAlert(`Live updates: ${message.message}`);
      else onMessage(message);
    });
    socket.addEventListener('close', () => {
      if (done()) return;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 10000);
    });
  };
  connect();
}

function formatSeconds(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  if (seconds < 60) return `${seconds.toFixed(0)} s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes} min ${Math.round(seconds % 60)} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function initRunPage() {
  const run = $('#run');
  if (!run) return;
  const id = run.dataset.runId;
  const kind = run.dataset.kind;
  let status = run.dataset.status;
  let completed = Number(run.dataset.completed || 0);
  let lastRefresh = 0;
  let pending = null;
  const regions = ['#run-live'];
  const refreshSoon = (minimumGap) => {
    if (pending) return;
    const wait = Math.max(0, lastRefresh + minimumGap - Date.now());
    pending = setTimeout(async () => {
      pending = null;
      lastRefresh = Date.now();
      await refreshRegions(regions);
    }, wait);
  };
  const progress = (percent, text, eta) => {
    const bar = $('#run-progress');
    if (bar) bar.value = Math.round(percent * 10) / 10;
    const label = $('#progress-text');
    if (label) label.textContent = text;
    const etaLabel = $('#progress-eta');
    if (etaLabel && eta !== undefined) etaLabel.textContent = eta;
  };
  const startedAt = () => Date.parse(($('#run') || run).dataset.startedAt || '') || Date.now();
  // A quiet socket is not proof that nothing happened (the live state may be lost): re-read storage now and then.
  let lastMessage = Date.now();
  setInterval(() => {
    const current = ($('#run') || run).dataset.status;
    if (!finalStatuses.has(current) && Date.now() - lastMessage > 15000) { lastMessage = Date.now(); refreshSoon(0); }
  }, 5000);
  liveSocket(id, (message) => {
    lastMessage = Date.now();
    switch (message.type) {
      case 'subscribed':
        // Anything that happened between this page's render and the subscription is only in storage.
        if (message.status && message.status !== status) { status = message.status; setStatus(id, status); }
        refreshSoon(0);
        break;
      case 'testing_progress': {
        const done = message.episodes_completed;
        const elapsed = (Date.now() - startedAt()) / 1000;
        const eta = done > 0 ? formatSeconds((elapsed / done) * (message.total_episodes - done)) : 'estimating…';
        progress(message.progress_percent, `${done} of ${message.total_episodes} episodes · episode ${message.episode}: ${message.kills} kills, health ${message.health}`, `ETA ${eta}`);
        if (done !== completed) { completed = done; refreshSoon(0); }
        break;
      }
      case 'training_progress': {
        const left = message.max_iterations - message.iteration;
        const eta = message.steps_per_s > 0 ? formatSeconds(left / message.steps_per_s) : '–';
        progress(message.progress_percent, `iteration ${message.iteration} of ${message.max_iterations} · loss ${message.dqn_loss == null ? '–' : Number(message.dqn_loss).toFixed(4)} · ε ${Number(message.epsilon).toFixed(3)} · ${Number(message.steps_per_s).toFixed(0)} steps/s`, `ETA ${eta}`);
        refreshSoon(3000);
        break;
      }
      case 'testing_completed':
      case 'training_completed':
        status = 'completed';
        progress(100, 'completed', '');
        setStatus(id, status);
        refreshSoon(0);
        break;
      case 'run_failed':
        status = 'failed';
        setStatus(id, status);
        refreshSoon(0);
        break;
      case 'run_stopped':
        status = 'stopped';
        setStatus(id, status);
        refreshSoon(0);
        break;
      case 'agent_state':
        showAgent(message);
        break;
      case 'milestone':
        addMilestone(message);
        refreshSoon(3000); // its screenshot is stored a moment later
        break;
      case 'run_status':
        if (message.status !== status) { status = message.status; setStatus(id, status); refreshSoon(finalStatuses.has(status) ? 0 : 1000); }
        break;
      default:
        break;
    }
  }, () => finalStatuses.has(status) && kind !== undefined);
}

/** The live agent view: stats, the reward sparkline, recent decisions and a marker on the run's map. */
function showAgent(view) {
  const stats = $('#agent-stats');
  if (stats) {
    const values = {
      Episode: view.episode ?? '–',
      Position: view.x == null ? '–' : `${Math.round(view.x)}, ${Math.round(view.y)}`,
      Health: view.health ?? '–',
      Ammo: view.ammo ?? '–',
      Confidence: view.confidence == null ? '–' : `${(view.confidence * 100).toFixed(1)}%`,
      Coverage: view.coverage == null ? '–' : `${(view.coverage * 100).toFixed(1)}%`,
    };
    for (const item of stats.querySelectorAll('div')) {
      const label = item.querySelector('dt')?.textContent;
      const value = item.querySelector('dd');
      if (value && label in values) value.textContent = String(values[label]);
    }
  }
  const line = $('#reward-sparkline polyline');
  const rewards = view.rewards || [];
  if (line && rewards.length > 1) {
    // A flat series (a navigator earns no reward) is drawn across the middle, not along the floor.
    const min = Math.min(...rewards);
    const max = Math.max(...rewards);
    const low = max === min ? min - 1 : min;
    const span = max === min ? 2 : max - min;
    line.setAttribute('points', rewards.map((r, i) => `${(i * 200 / (rewards.length - 1)).toFixed(1)},${(38 - (r - low) / span * 36).toFixed(1)}`).join(' '));
  }
  const list = $('#agent-decisions');
  if (list) {
    list.replaceChildren(...(view.decisions || []).slice().reverse().map((d) => {
      const item = document.createElement('li');
      const buttons = d.buttons.length ? d.buttons.join(' + ') : 'no button';
      item.textContent = `step ${d.step}: ${buttons}` + (d.confidence == null ? '' : ` · ${(d.confidence * 100).toFixed(1)}% sure`);
      return item;
    }));
  }
  const svg = $('#run-map svg');
  if (svg && view.x != null) {
    let marker = svg.querySelector('#agent-marker');
    if (!marker) {
      marker = document.createElementNS('http://www.w3.org/2000/svg', 'circle');
      marker.id = 'agent-marker';
      marker.setAttribute('r', '24');
      svg.appendChild(marker);
    }
    marker.setAttribute('cx', String(view.x));
    marker.setAttribute('cy', String(-view.y)); // the picture flips y, as Doom's y points up
  }
}

/** A milestone as it happens, at the top of the list (the page refresh brings its screenshot). */
function addMilestone(m) {
  const list = $('#milestones');
  if (!list || list.querySelector(`[data-milestone="${m.milestone}"]`)) return;
  const item = document.createElement('li');
  item.className = m.badge ? 'milestone is-badge new' : 'milestone new';
  item.dataset.milestone = m.milestone;
  const title = document.createElement('strong');
  title.textContent = m.title + (m.badge ? ' ★' : '');
  const when = document.createElement('span');
  when.className = 'muted';
  when.textContent = ` episode ${m.episode} at ${formatSeconds(m.tic / 35)}`;
  item.append(title, when);
  list.prepend(item);
  $('#milestones-empty')?.remove();
}

function initRunsList() {
  if (document.body.dataset.page !== 'runs') return;
  let pending = null;
  liveSocket('*', (message) => {
    if (message.type !== 'run_status') return;
    if ($(`[data-run-badge="${CSS.escape(message.run_id)}"]`)) setStatus(message.run_id, message.status);
    else if (!pending && !new URL(location.href).searchParams.get('offset')) {
      // A run this page has not listed yet: re-read the list (at most once a second).
      pending = setTimeout(async () => { pending = null; await refreshRegions(['#compare-form']); }, 1000);
    }
  }, () => false);
}

function initCompareForm(root = document) {
  const form = $('#compare-form', root);
  if (!form) return;
  const submit = $('#compare-submit', form);
  const note = $('#compare-note', form);
  const update = () => {
    const count = $$('input[name=id]:checked', form).length;
    submit.disabled = count < 2 || count > 4;
    note.textContent = count === 0 ? 'Tick 2 to 4 test runs to compare them.' : `${count} selected${count > 4 ? ' (at most 4)' : ''}.`;
    for (const box of $$('input[name=id]', form)) box.closest('tr').classList.toggle('selected', box.checked);
  };
  form.addEventListener('change', update);
  update();
}

// ---------------------------------------------------------------- screenshots and episode choice

/** A finding's triage form: the status (when changed) and the comment (when written), then the page again. */
async function triage(form) {
  const body = {};
  const status = form.elements.status.value;
  if (status !== form.elements.status.querySelector('[selected]')?.value) body.status = status;
  const comment = form.elements.comment.value.trim();
  if (comment) body.comment = comment;
  if (!Object.keys(body).length) { showAlert('Change the status or write a comment first.'); return; }
  try {
    await api('PATCH', `/api/v1/bugs/${form.dataset.triage}`, body);
    location.reload();
  } catch (error) {
    showAlert(`Not saved: ${error.message}`);
  }
}

function openScreenshot(link) {
  let dialog = $('#shot-viewer');
  if (!dialog) {
    dialog = document.createElement('dialog');
    dialog.id = 'shot-viewer';
    dialog.className = 'viewer';
    dialog.setAttribute('aria-label', 'Screenshot');
    dialog.innerHTML = '<form method="dialog" class="page-header"><p id="shot-caption"></p><button type="submit">Close</button></form><img id="shot-image" alt="">';
    dialog.addEventListener('click', (event) => { if (event.target === dialog) dialog.close(); });
    document.body.appendChild(dialog);
  }
  $('#shot-image', dialog).src = link.href;
  $('#shot-image', dialog).alt = link.dataset.caption || 'Screenshot';
  $('#shot-caption', dialog).textContent = link.dataset.caption || '';
  dialog.showModal();
}

async function chooseEpisode(select) {
  const url = new URL(location.href);
  url.searchParams.set('episode', select.value);
  history.replaceState(null, '', url);
  await refreshRegions(['#episode-detail'], url.href);
  const again = $('#episode-select');
  if (again) again.focus();
}

// ---------------------------------------------------------------- can the map be finished?

/** Asks the planner for the map's verdict at the chosen skill, then lists the steps and shows the route. */
async function loadProgression(panel) {
  const skill = $('#progression-skill', panel).value;
  const summary = $('.verdict-summary', panel);
  const steps = $('.progression-steps', panel);
  const figure = $('.progression-route', panel);
  summary.textContent = `Planning the route at skill ${skill}…`;
  summary.className = 'verdict-summary';
  steps.hidden = true;
  figure.hidden = true;
  try {
    const plan = await api('GET', `${panel.dataset.url}?skill=${skill}`);
    const word = { completable: 'Can be finished', blocked: 'Cannot be finished', unknown: 'Undecided' }[plan.verdict] || plan.verdict;
    summary.textContent = `${word}: ${plan.reason}`;
    summary.classList.add(plan.verdict === 'blocked' ? 'verdict-blocked-text' : `verdict-${plan.verdict}`);
    steps.replaceChildren(...plan.steps.map((step) => {
      const item = document.createElement('li');
      item.textContent = step.note;
      return item;
    }));
    steps.hidden = plan.steps.length === 0;
    $('img', figure).src = `${panel.dataset.render}&skill=${skill}`;
    figure.hidden = false;
  } catch (error) {
    summary.textContent = `The planner could not answer: ${error.message}`;
  }
}

function initProgression() {
  const panel = $('#progression');
  if (!panel) return;
  $('#progression-skill', panel).addEventListener('change', () => loadProgression(panel));
  loadProgression(panel);
}

// ---------------------------------------------------------------- wiring

function initRegion(root) {
  $$('.map-viewer', root).forEach(initViewer);
  initCompareForm(root);
}

document.addEventListener('click', (event) => {
  const target = event.target.closest('button, a');
  if (!target) return;
  if (target.matches('[data-delete-map]')) deleteMap(target);
  else if (target.matches('.finding-link')) highlightFinding(target);
  else if (target.matches('[data-seek]')) seekVideo(target);
  else if (target.matches('[data-stop]')) stopRun(target);
  else if (target.matches('[data-job-action]')) jobAction(target);
  else if (target.matches('[data-test-checkpoint]')) testCheckpoint(target);
  else if (target.matches('a[data-screenshot]')) {
    event.preventDefault();
    openScreenshot(target);
  }
});

document.addEventListener('submit', (event) => {
  const form = event.target;
  if (form.matches('form[data-start]')) {
    event.preventDefault();
    startRun(form);
  } else if (form.matches('form[data-triage]')) {
    event.preventDefault();
    triage(form);
  }
});

document.addEventListener('change', (event) => {
  if (event.target.matches('#episode-select')) chooseEpisode(event.target);
});

function init() {
  // The episode picker submits by itself with JS; the button is for readers without it.
  document.documentElement.classList.add('js');
  initUpload();
  initRegion(document);
  initRunPage();
  initRunsList();
  initProgression();
  const live = $('[data-refresh]');
  if (live) setInterval(() => refreshRegions([`#${live.id}`]), Number(live.dataset.refresh));
}

init();
