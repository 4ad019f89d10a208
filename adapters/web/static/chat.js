// Lessonbook web chat. Everything the server sends is data: it is put on the page with DOM
// APIs and textContent only (never parsed as HTML), because lessons may contain markup.
(() => {
  'use strict';

  const NAME_KEY = 'lessonbook.name';
  const TOKEN_KEY = 'lessonbook.token';
  const CHANNEL = 'web:general';
  const POLL_MS = 3000;
  const HISTORY_MAX = 50;

  const $ = (id) => document.getElementById(id);
  const ui = {};

  const state = {
    name: readStorage(localStorage, NAME_KEY),
    token: readStorage(sessionStorage, TOKEN_KEY),
    after: 0,
    shownSeqs: new Set(),
    history: [],
    historyPos: -1,
    draft: '',
    retry: null, // what to do again once a token is entered
    pollTimer: null,
    pollingBlocked: false,
  };

  function readStorage(store, key) {
    try { return store.getItem(key) || ''; } catch (e) { return ''; }
  }

  function writeStorage(store, key, value) {
    try { store.setItem(key, value); } catch (e) { /* private mode: keep it in memory */ }
  }

  // ---- DOM helpers ----

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null && text !== '') node.textContent = String(text);
    return node;
  }

  let idCounter = 0;
  function nextId(prefix) {
    idCounter += 1;
    return prefix + '-' + idCounter;
  }

  function uuid() {
    if (window.crypto && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' +
        h.slice(16, 20) + '-' + h.slice(20);
  }

  function nearBottom() {
    const log = ui.log;
    return log.scrollHeight - log.scrollTop - log.clientHeight < 80;
  }

  function append(node) {
    const stick = nearBottom();
    ui.log.appendChild(node);
    if (stick) ui.log.scrollTop = ui.log.scrollHeight;
  }

  function note(text, isError) {
    const box = el('div', 'msg system' + (isError ? ' error' : ''));
    box.appendChild(el('p', 'summary', text));
    append(box);
  }

  // ---- rendering the message view ----

  function renderSpans(spans) {
    const p = el('p', 'text');
    for (const span of spans || []) {
      let node = document.createTextNode(String(span.text || ''));
      if (span.highlight) {
        const mark = el('mark');
        mark.appendChild(node);
        node = mark;
      }
      if (span.strong) {
        const strong = el('strong');
        strong.appendChild(node);
        node = strong;
      }
      p.appendChild(node);
    }
    return p;
  }

  function renderFields(fields) {
    const dl = el('dl', 'fields');
    for (const f of fields) {
      const item = el('div', 'field');
      item.appendChild(el('dt', null, f.label));
      item.appendChild(el('dd', null, f.value));
      dl.appendChild(item);
    }
    return dl;
  }

  function renderButtons(buttons) {
    const row = el('div', 'buttons');
    for (const b of buttons) {
      const style = ['primary', 'danger'].includes(b.style) ? ' ' + b.style : '';
      const button = el('button', 'btn' + style, b.label);
      button.type = 'button';
      button.addEventListener('click', () => {
        button.disabled = true;
        sendAction(b.action_id, b.value).finally(() => { button.disabled = false; });
      });
      row.appendChild(button);
    }
    return row;
  }

  function labelText(input) {
    const frag = document.createDocumentFragment();
    frag.appendChild(document.createTextNode(String(input.label || input.id)));
    if (!input.required) frag.appendChild(el('span', 'optional', ' (optional)'));
    return frag;
  }

  function renderInput(input, formId) {
    const id = nextId(formId + '-' + String(input.id).replace(/[^A-Za-z0-9_-]/g, '_'));
    const kind = input.kind;
    if (kind === 'multi_choice') {
      const set = el('fieldset');
      const legend = el('legend');
      legend.appendChild(labelText(input));
      set.appendChild(legend);
      const initial = String(input.initial || '').split(',').map((s) => s.trim()).filter(Boolean);
      for (const c of input.choices || []) {
        const label = el('label', 'check');
        const box = el('input');
        box.type = 'checkbox';
        box.value = String(c.value);
        box.checked = initial.includes(String(c.value));
        box.dataset.inputId = input.id;
        label.appendChild(box);
        label.appendChild(document.createTextNode(String(c.label || c.value)));
        set.appendChild(label);
      }
      set.dataset.multi = input.id;
      return set;
    }
    const label = el('label');
    label.htmlFor = id;
    label.appendChild(labelText(input));
    let field;
    if (kind === 'choice') {
      field = el('select');
      if (!input.required || !input.initial) {
        const empty = el('option', null, input.required ? 'Choose…' : '—');
        empty.value = '';
        field.appendChild(empty);
      }
      for (const c of input.choices || []) {
        const option = el('option', null, c.label || c.value);
        option.value = String(c.value);
        field.appendChild(option);
      }
      field.value = String(input.initial || '');
    } else {
      field = el(kind === 'multiline' ? 'textarea' : 'input');
      if (kind !== 'multiline') field.type = 'text';
      field.value = String(input.initial || '');
      if (input.placeholder) field.placeholder = String(input.placeholder);
      if (input.max_length > 0) field.maxLength = input.max_length;
    }
    field.id = id;
    field.required = !!input.required;
    field.dataset.inputId = input.id;
    label.appendChild(field);
    return label;
  }

  function renderForm(form) {
    const f = el('form', 'msg-form');
    const formId = nextId('form');
    if (form.title) f.appendChild(el('h3', null, form.title));
    for (const input of form.inputs || []) f.appendChild(renderInput(input, formId));
    const submit = el('button', null, form.submit_label || 'Save');
    submit.type = 'submit';
    f.appendChild(submit);
    f.addEventListener('submit', async (event) => {
      event.preventDefault();
      const values = {};
      for (const set of f.querySelectorAll('fieldset[data-multi]')) {
        values[set.dataset.multi] = Array.from(set.querySelectorAll('input:checked'), (b) => b.value);
      }
      for (const field of f.querySelectorAll('input[type="text"], textarea, select')) {
        values[field.dataset.inputId] = field.value;
      }
      submit.disabled = true;
      const ok = await post('/web/forms', {
        form_id: form.form_id,
        values,
        state: form.state || '',
        user: state.name,
        client_msg_id: uuid(),
      });
      if (ok) {
        for (const control of f.elements) control.disabled = true;
      } else {
        submit.disabled = false;
      }
    });
    return f;
  }

  function renderMessage(view, opts) {
    const box = el('article', 'msg bot' + (view.is_error ? ' error' : ''));
    if (opts && (opts.shared || opts.user)) {
      const who = opts.user ? 'shared · in reply to ' + opts.user : 'shared';
      box.appendChild(el('p', 'meta', who));
    }
    if (view.text) box.appendChild(el('p', 'summary', view.text));
    for (const section of view.sections || []) {
      const s = el('section', 'section');
      if (section.text && section.text.length) s.appendChild(renderSpans(section.text));
      if (section.fields && section.fields.length) s.appendChild(renderFields(section.fields));
      if (section.context) s.appendChild(el('p', 'context', section.context));
      if (section.buttons && section.buttons.length) s.appendChild(renderButtons(section.buttons));
      box.appendChild(s);
    }
    if (view.form) box.appendChild(renderForm(view.form));
    return box;
  }

  function showReply(data) {
    if (!data) return;
    if (typeof data.shared_seq === 'number') state.shownSeqs.add(data.shared_seq);
    for (const view of data.messages || []) append(renderMessage(view));
  }

  // ---- talking to the server ----

  async function call(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (state.token) headers.Authorization = 'Bearer ' + state.token;
    const res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
    const type = res.headers.get('Content-Type') || '';
    let data = null;
    let text = '';
    if (type.includes('application/json')) {
      try { data = await res.json(); } catch (e) { data = null; }
    } else {
      text = (await res.text()).trim();
    }
    if (!text && data && typeof data.error === 'string') text = data.error;
    return { status: res.status, ok: res.ok, data, text };
  }

  // POSTs body to path and shows the answer; true when the server accepted it.
  async function post(path, body) {
    let r;
    try {
      r = await call('POST', path, body);
    } catch (e) {
      note('Cannot reach Lessonbook: ' + e.message + '. Is the server running?', true);
      return false;
    }
    if (r.status === 401) {
      askToken(r.text, () => post(path, body));
      return false;
    }
    if (!r.ok) {
      note(r.text || 'The server answered ' + r.status + '.', true);
      return false;
    }
    showReply(r.data);
    return true;
  }

  function sendCommand(text) {
    if (!state.name) {
      askName();
      return;
    }
    const mine = el('div', 'msg me', text);
    append(mine);
    ui.log.scrollTop = ui.log.scrollHeight;
    post('/web/messages', { text, user: state.name, client_msg_id: uuid() });
  }

  function sendAction(actionId, value) {
    if (!state.name) {
      askName();
      return Promise.resolve(false);
    }
    return post('/web/actions', {
      action_id: actionId,
      value: value || '',
      user: state.name,
      client_msg_id: uuid(),
    });
  }

  async function poll() {
    state.pollTimer = null;
    if (state.pollingBlocked) return;
    try {
      // The shared channel, then this person's own DMs (post-mortem questions, reminders).
      const feeds = [{ channel: CHANNEL, cursor: 'after', shared: true }];
      if (state.name) feeds.push({ channel: 'web:dm:' + state.name, cursor: 'dmAfter', shared: false });
      for (const feed of feeds) {
        const url = '/web/feed?channel=' + encodeURIComponent(feed.channel) + '&after=' +
            (state[feed.cursor] || 0);
        const r = await call('GET', url);
        if (r.status === 401) {
          state.pollingBlocked = true;
          askToken(r.text, null);
          return;
        }
        if (r.ok && r.data) {
          for (const item of r.data.messages || []) {
            if (state.shownSeqs.has(item.seq)) continue;
            state.shownSeqs.add(item.seq);
            append(renderMessage(item.message, { shared: feed.shared, user: item.user }));
          }
          if (typeof r.data.last === 'number') state[feed.cursor] = r.data.last;
        }
      }
    } catch (e) {
      // The server may be restarting: try again on the next tick.
    }
    schedulePoll();
  }

  function schedulePoll() {
    if (state.pollTimer === null && !state.pollingBlocked) {
      state.pollTimer = setTimeout(poll, POLL_MS);
    }
  }

  // ---- name and token ----

  function showName() {
    ui.whoName.textContent = state.name;
    ui.who.hidden = !state.name;
  }

  function askName() {
    ui.nameInput.value = state.name;
    ui.nameForm.hidden = false;
    ui.nameInput.focus();
  }

  function askToken(message, retry) {
    state.retry = retry;
    ui.tokenNote.textContent = state.token ? (message || 'That token was not accepted.') : (message || '');
    ui.tokenForm.hidden = false;
    ui.tokenInput.value = '';
    ui.tokenInput.focus();
  }

  function onNameSubmit(event) {
    event.preventDefault();
    const name = ui.nameInput.value.trim();
    if (!name) return;
    state.name = name.slice(0, 64);
    writeStorage(localStorage, NAME_KEY, state.name);
    ui.nameForm.hidden = true;
    showName();
    ui.text.focus();
    if (ui.text.value.trim()) submitComposer();
  }

  function onTokenSubmit(event) {
    event.preventDefault();
    const token = ui.tokenInput.value.trim();
    if (!token) return;
    state.token = token;
    writeStorage(sessionStorage, TOKEN_KEY, token);
    ui.tokenForm.hidden = true;
    const retry = state.retry;
    state.retry = null;
    if (state.pollingBlocked) {
      state.pollingBlocked = false;
      poll();
    }
    if (retry) retry();
    ui.text.focus();
  }

  // ---- the composer ----

  function onComposerSubmit(event) {
    event.preventDefault();
    submitComposer();
  }

  function submitComposer() {
    const text = ui.text.value.trim();
    if (!text) return;
    if (!state.name) {
      askName(); // keep the typed command: it is sent after the name is given
      return;
    }
    if (state.history[state.history.length - 1] !== text) {
      state.history.push(text);
      if (state.history.length > HISTORY_MAX) state.history.shift();
    }
    state.historyPos = -1;
    state.draft = '';
    ui.text.value = '';
    sendCommand(text);
  }

  function onComposerKey(event) {
    if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
    if (!state.history.length) return;
    if (event.key === 'ArrowUp') {
      if (state.historyPos === -1) {
        state.draft = ui.text.value;
        state.historyPos = state.history.length - 1;
      } else if (state.historyPos > 0) {
        state.historyPos -= 1;
      }
      ui.text.value = state.history[state.historyPos];
    } else {
      if (state.historyPos === -1) return;
      state.historyPos += 1;
      if (state.historyPos >= state.history.length) {
        state.historyPos = -1;
        ui.text.value = state.draft;
      } else {
        ui.text.value = state.history[state.historyPos];
      }
    }
    event.preventDefault();
    const end = ui.text.value.length;
    ui.text.setSelectionRange(end, end);
  }

  function start() {
    ui.log = $('log');
    ui.text = $('text');
    ui.who = $('who');
    ui.whoName = $('who-name');
    ui.nameForm = $('name-form');
    ui.nameInput = $('name-input');
    ui.tokenForm = $('token-form');
    ui.tokenInput = $('token-input');
    ui.tokenNote = $('token-note');

    $('composer').addEventListener('submit', onComposerSubmit);
    ui.text.addEventListener('keydown', onComposerKey);
    ui.nameForm.addEventListener('submit', onNameSubmit);
    ui.tokenForm.addEventListener('submit', onTokenSubmit);
    $('change-name').addEventListener('click', askName);

    showName();
    if (!state.name) askName();
    else ui.text.focus();
    poll();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
