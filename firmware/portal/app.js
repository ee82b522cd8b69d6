// Pigeon portal page. Every value that comes from the board (config, Wi-Fi scan, status) is
// put on the page with textContent, never innerHTML: an SSID is chosen by strangers.
// A board has a Wi-Fi radio ("wifiRadio" in /api/status) and its page a Wi-Fi step; a server has
// neither: body.server hides every .board-only element and shows the .server-only ones.
(function () {
  'use strict';
  var csrf = '';
  var wifiRadio = true;
  var wizard = { ssid: '', password: '' };
  var refreshTimer = 0;

  function $(id) { return document.getElementById(id); }

  function show(id) {
    var views = document.querySelectorAll('main > section');
    for (var i = 0; i < views.length; i++) { views[i].hidden = views[i].id !== id; }
    $('loading').hidden = true;
    banner('');
    if (refreshTimer) { clearInterval(refreshTimer); refreshTimer = 0; }
    window.scrollTo(0, 0);
  }

  function banner(text) {
    var b = $('banner');
    b.textContent = text;
    b.hidden = !text;
  }

  function clearErrors(root) {
    var errs = root.querySelectorAll('[data-err]');
    for (var i = 0; i < errs.length; i++) { errs[i].textContent = ''; }
  }

  function showErrors(root, errors) {
    clearErrors(root);
    for (var i = 0; i < errors.length; i++) {
      var key = String(errors[i].path || '').replace(/\[\d+\]$/, '');
      var slot = root.querySelector('[data-err="' + key.replace(/"/g, '') + '"]') || root.querySelector('[data-err=""]');
      var text = errors[i].message;
      if (!slot) { banner(text); continue; }
      slot.textContent = slot.textContent ? slot.textContent + ' ' + text : text;
    }
  }

  function api(method, path, body) {
    var opts = { method: method, credentials: 'same-origin', headers: {} };
    if (body !== undefined) {
      opts.headers['Content-Type'] = 'application/json';
      opts.body = JSON.stringify(body);
    }
    if (csrf) { opts.headers['X-CSRF-Token'] = csrf; }
    return fetch(path, opts).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) { return { status: r.status, json: j }; });
    }, function () { return { status: 0, json: { error: 'The relay cannot be reached: check your connection to it.' } }; });
  }

  function failed(res, root) {
    if (res.status === 422 && res.json.errors) { showErrors(root, res.json.errors); return; }
    if (res.status === 401) { show('view-login'); return; }
    banner(res.json.error || ('Error ' + res.status));
  }

  function ports(text) {
    var parts = String(text).split(/[\s,]+/);
    var out = [];
    for (var i = 0; i < parts.length; i++) {
      if (!parts[i]) { continue; }
      out.push(/^\d{1,5}$/.test(parts[i]) ? parseInt(parts[i], 10) : parts[i]);
    }
    return out;
  }

  // Plain HTTP is private only on this machine (or through an SSH tunnel to it).
  function loopback(host) {
    return host === 'localhost' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host === '[::1]';
  }

  function platform(st) {
    if (st && typeof st.wifiRadio === 'boolean') { wifiRadio = st.wifiRadio; }
    document.body.className = wifiRadio ? '' : 'server';
  }

  function start() {
    $('plain-http').hidden = location.protocol !== 'http:' || loopback(location.hostname);
    api('GET', '/api/status').then(function (res) {
      platform(res.json);
      if (res.status === 200 && !res.json.passwordSet) { show('view-setpw'); return; }
      if (res.status === 200) { csrf = res.json.csrf || ''; renderStatus(res.json); return; }
      if (res.status === 401) { show('view-login'); return; }
      $('loading').hidden = true;
      banner(res.json.error || 'The relay cannot be reached.');
    });
  }

  // ---- first run --------------------------------------------------------------------------
  $('form-setpw').addEventListener('submit', function (e) {
    e.preventDefault();
    var root = $('view-setpw');
    clearErrors(root);
    var pw = $('setpw-password').value;
    if (pw !== $('setpw-repeat').value) {
      showErrors(root, [{ path: 'repeat', message: 'The two passwords differ.' }]);
      return;
    }
    api('POST', '/api/admin-password', { password: pw }).then(function (res) {
      if (res.status !== 200) { failed(res, root); return; }
      csrf = res.json.csrf;
      if (wifiRadio) { show('view-wifi'); scan(); return; }
      openPorts($('view-setpw'));
    });
  });

  // The last step: the relay ports (and public host), prefilled from the config.
  function openPorts(root) {
    api('GET', '/api/config').then(function (res) {
      if (res.status !== 200) { failed(res, root); return; }
      $('ports-chat').value = res.json.relay.chatPorts.join(', ');
      $('ports-media').value = res.json.relay.mediaPorts.join(', ');
      $('ports-host').value = res.json.network.publicHost;
      show('view-ports');
    });
  }

  function scan() {
    var list = $('scan-list');
    list.textContent = '';
    api('GET', '/api/wifi/scan').then(function (res) {
      if (res.status !== 200) { failed(res, $('view-wifi')); return; }
      $('scan-fake').hidden = !res.json.fake;
      var nets = res.json.networks || [];
      nets.sort(function (a, b) { return b.rssi - a.rssi; });
      for (var i = 0; i < nets.length; i++) { list.appendChild(networkItem(nets[i])); }
    });
  }

  function strength(rssi) {
    if (rssi >= -55) { return 'strong'; }
    if (rssi >= -70) { return 'good'; }
    if (rssi >= -80) { return 'weak'; }
    return 'very weak';
  }

  function networkItem(net) {
    var li = document.createElement('li');
    var b = document.createElement('button');
    b.type = 'button';
    var name = document.createElement('span');
    name.className = 'ssid';
    name.textContent = net.ssid;
    var sig = document.createElement('span');
    sig.className = 'sig';
    sig.textContent = strength(net.rssi) + ' (' + net.rssi + ' dBm), ' + (net.secure ? 'password' : 'open');
    b.appendChild(name);
    b.appendChild(sig);
    b.addEventListener('click', function () { $('wifi-ssid').value = net.ssid; $('wifi-password').focus(); });
    li.appendChild(b);
    return li;
  }

  $('scan').addEventListener('click', scan);

  $('form-wifi').addEventListener('submit', function (e) {
    e.preventDefault();
    var root = $('view-wifi');
    clearErrors(root);
    wizard.ssid = $('wifi-ssid').value;
    wizard.password = $('wifi-password').value;
    if (!wizard.ssid) {
      showErrors(root, [{ path: 'wifi.ssid', message: 'Pick a network or type its name.' }]);
      return;
    }
    openPorts(root);
  });

  $('form-ports').addEventListener('submit', function (e) {
    e.preventDefault();
    var root = $('view-ports');
    clearErrors(root);
    var body = {
      relay: { chatPorts: ports($('ports-chat').value), mediaPorts: ports($('ports-media').value) },
      network: { publicHost: $('ports-host').value.trim() }
    };
    if (wifiRadio) { body.wifi = { ssid: wizard.ssid, password: wizard.password }; }
    api('POST', '/api/config', body).then(function (res) {
      if (res.status !== 200) { failed(res, root); return; }
      loadStatus(true);
    });
  });

  // ---- login ------------------------------------------------------------------------------
  $('form-login').addEventListener('submit', function (e) {
    e.preventDefault();
    var root = $('view-login');
    clearErrors(root);
    api('POST', '/api/login', { password: $('login-password').value }).then(function (res) {
      $('login-password').value = '';
      if (res.status === 200) { csrf = res.json.csrf; loadStatus(false); return; }
      if (res.status === 401) { $('login-error').textContent = 'Wrong password.'; return; }
      $('login-error').textContent = res.json.error || ('Error ' + res.status);
    });
  });

  // ---- status -----------------------------------------------------------------------------
  function loadStatus(saved) {
    api('GET', '/api/status').then(function (res) {
      if (res.status !== 200) { failed(res, document); return; }
      if (res.json.csrf) { csrf = res.json.csrf; }
      renderStatus(res.json);
      $('saved-note').hidden = !saved;
    });
  }

  var reasons = {
    full: 'relay full (all sessions busy)', helloTimeout: 'too slow to start', notTls: 'not TLS on a TLS port',
    sniNotAllowed: 'asked for a server other than WhatsApp', malformed: 'malformed TLS', tlsOnChatPort: 'TLS on (app setting) on a TLS-off chat port',
    closedEarly: 'closed before sending anything', clientLimit: 'too many at once from one address',
    evicted: 'idle connection closed to make room', tlsFailed: 'TLS handshake failed',
    probe: 'web request on the TLS port (answered with a plain page)', badProxyHeader: 'no valid PROXY header from the load balancer',
    notChatClient: 'not a WhatsApp chat client'
  };

  function bytes(n) {
    var units = ['B', 'KB', 'MB', 'GB', 'TB'];
    var i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
  }

  function duration(s) {
    var d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
    return (d ? d + ' d ' : '') + (d || h ? h + ' h ' : '') + m + ' min';
  }

  function renderStatus(st) {
    var wasVisible = !$('view-status').hidden;
    platform(st);
    if (!wasVisible) { show('view-status'); }
    var r = st.relay || { up: false };
    $('st-day').textContent = st.last24h || '';
    $('st-day').hidden = !st.last24h;
    $('st-mode').textContent = st.mode !== 'setup' ? 'Running (normal mode)'
      : wifiRadio ? 'Setup (own Wi-Fi network)' : 'Setup (no admin password yet)';
    $('st-relay').textContent = r.up ? 'Up' : 'Down';
    $('st-sessions').textContent = r.up ? r.activeSessions + ' of ' + r.maxSessions + ' in use (the most this relay holds at once)' : '–';
    $('st-bytes').textContent = r.up ? bytes(r.bytesToUpstream) + ' out, ' + bytes(r.bytesToClient) + ' in' : '–';
    $('st-uptime').textContent = r.up ? duration(r.uptimeSeconds) : '–';
    var w = st.wifi || {};
    $('st-wifi').textContent = (w.ssid ? w.ssid : 'not set') + (w.rssi ? ', ' + strength(w.rssi) + ' (' + w.rssi + ' dBm)' : '');
    var list = $('st-refusals');
    list.textContent = '';
    var refusals = r.refusals || {};
    var any = false;
    for (var k in reasons) {
      if (refusals[k]) {
        var li = document.createElement('li');
        li.textContent = reasons[k] + ': ' + refusals[k];
        list.appendChild(li);
        any = true;
      }
    }
    if (!any) { var none = document.createElement('li'); none.textContent = 'None'; list.appendChild(none); }
    var share = st.share || {};
    var links = share.links || [];
    var tlsLink = null;
    for (var j = 0; j < links.length; j++) { if (links[j].tls) { tlsLink = links[j]; } }
    $('st-tls').hidden = !refusals.tlsOnChatPort;
    var plain = chatPorts(r.routes, false);
    $('st-tls').textContent = tlsLink
      ? 'Some people have TLS on in WhatsApp but use a chat port that takes TLS off' + (plain ? ' (' + plain + ')' : '')
        + '. Give them the first link (TLS on, chat port ' + tlsLink.chatPort + '), or tell them to switch TLS off.'
      : 'Some people have TLS on: tell them to switch TLS off in WhatsApp\'s proxy settings.';
    renderReach(st.reach);
    renderShare(share, links, r.routes || []);
    renderSignal(share.signal, st.tls);
    renderCert(st.tls);
    if (!wasVisible) {
      refreshTimer = setInterval(function () {
        api('GET', '/api/status').then(function (res) { if (res.status === 200) { renderStatus(res.json); } });
      }, 5000);
    }
  }

  // ---- share links (first choice first) --------------------------------------------------
  var shareKey = '';

  function chatPorts(routes, tls) {
    var out = [];
    for (var i = 0; routes && i < routes.length; i++) {
      if (routes[i].kind === 'chat' && !!routes[i].tls === tls) { out.push(routes[i].port); }
    }
    return out.join(', ');
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text) { e.textContent = text; }
    return e;
  }

  function renderShare(share, links, routes) {
    var have = links.length > 0;
    $('st-share').hidden = !have;
    $('st-noshare').hidden = have;
    var closed = [];
    for (var i = 0; i < routes.length; i++) {
      var rt = routes[i];
      if (rt.error && !rt.listening) { closed.push((rt.kind === 'media' ? 'Media' : 'Chat') + ' port ' + rt.port + (rt.tls ? ' (TLS on)' : '') + ': ' + rt.error); }
    }
    $('st-closed').hidden = !closed.length;
    $('st-closed').textContent = closed.length ? 'Not open, so not in the links: ' + closed.join('; ') + '.' : '';
    if (!have) { shareKey = ''; return; }
    $('st-hostnote').textContent = share.hostSource === 'configured'
      ? 'This is the public host set in the settings.'
      : share.hostSource === 'public'
        ? 'This is the public address the router reports. It may change: a public host name (dynamic DNS) keeps the link working.'
        : 'Guessed address (it may only work on this network): set a public host name in the settings to share the relay beyond it.';
    var key = share.host;
    for (i = 0; i < links.length; i++) { key += ' ' + links[i].link; }
    if (key === shareKey) { return; }
    shareKey = key;
    $('st-share-intro').textContent = links.length > 1
      ? 'Two ways in. Send both: WhatsApp users try the first, and the second if the first does not connect.'
      : 'Send this link to someone who needs the relay:';
    var box = $('st-links');
    box.textContent = '';
    for (i = 0; i < links.length; i++) { box.appendChild(choice(links[i], i, links.length, share.host)); }
  }

  function choice(l, i, count, host) {
    var div = el('div', 'choice');
    div.setAttribute('data-tls', l.tls ? 'on' : 'off');
    div.appendChild(el('h4', '', (count > 1 ? (i === 0 ? 'First choice: ' : 'Second choice: ') : '')
      + 'chat port ' + l.chatPort + ', TLS ' + (l.tls ? 'on' : 'off')));
    var why = l.tls
      ? 'Looks like an ordinary secure website (HTTPS), so it gets through where WhatsApp is blocked or slowed down.'
        + (l.chatPort === 443 ? ' It is also what WhatsApp uses when someone types only the host.' : '')
      : count > 1 ? 'The fallback, when the first does not connect. Easier for a censor to recognise as WhatsApp.' : '';
    if (why) { div.appendChild(el('p', 'note', why)); }
    var a = el('a', 'link', l.link);
    a.rel = 'noreferrer';
    a.href = l.link;
    var p = el('p');
    p.appendChild(a);
    div.appendChild(p);
    var canvas = el('canvas');
    canvas.setAttribute('aria-label', 'QR code of the link with TLS ' + (l.tls ? 'on' : 'off'));
    div.appendChild(canvas);
    drawQr(canvas, l.link);
    div.appendChild(el('p', '', 'Or enter it by hand in WhatsApp (Settings → Storage and data → Proxy):'));
    div.appendChild(el('p', 'mono', 'Proxy host: ' + host));
    div.appendChild(el('p', 'mono', 'Chat port: ' + l.chatPort + ' · Media port: ' + l.mediaPort));
    div.appendChild(el('p', 'mono', 'TLS: ' + (l.tls ? 'on' : 'off')));
    return div;
  }

  // ---- Signal on the same 443 (share.signal), only with a real certificate ------------------
  function renderSignal(sig, cert) {
    var box = $('st-signal');
    box.hidden = !sig;
    if (!sig) { return; }
    var real = cert && !cert.made;
    $('sig-ready').hidden = !real;
    $('sig-needs').hidden = real;
    if (!real) { return; }
    var a = $('sig-link');
    if (a.href !== sig.link) {
      a.href = sig.link;
      a.textContent = sig.link;
      drawQr($('sig-qr'), sig.link);
    }
    $('sig-host').textContent = 'Proxy address: ' + sig.host;
  }

  // ---- the TLS certificate ("tls" in /api/status) -------------------------------------------
  function renderCert(c) {
    $('st-cert').hidden = !c;
    if (!c) { return; }
    $('cert-name').textContent = c.name;
    $('cert-sha').textContent = String(c.sha256).toUpperCase().replace(/(..)(?!$)/g, '$1:');
    var days = Math.floor((Date.parse(c.notAfter) - Date.now()) / 86400000);
    $('cert-until').textContent = String(c.notAfter).slice(0, 10)
      + (days >= 0 ? ' (' + days + ' days left)' : ' (expired: WhatsApp does not mind, but a new one looks more ordinary)');
    $('cert-made').textContent = c.source === 'acme' ? 'a certificate authority, by ACME (Pigeon renews it)'
      : c.source === 'files' ? 'the config\'s own files (relay.tlsCertificateFile): Pigeon reloads them when they change'
        : c.made ? 'Pigeon (kept in its data folder)' : 'the config\'s own files (relay.tlsCertificateFile): replace them there to change it';
    $('cert-issuer').textContent = c.issuer || '';
    $('cert-ask').hidden = !c.made;
    $('cert-problem').hidden = !c.problem;
    $('cert-problem').textContent = c.problem ? 'The changed files were not taken: ' + c.problem : '';
    var a = c.acme;
    $('cert-acme').hidden = !a;
    if (!a) { return; }
    var next = String(a.nextAttempt).replace('T', ' ').slice(0, 16) + ' UTC';
    $('cert-acme').className = a.state === 'failed' ? 'warn' : 'note';
    $('cert-acme').textContent = a.state === 'ok'
      ? 'Certificate for ' + a.name + ', valid until ' + String(c.notAfter).slice(0, 10) + '. Pigeon renews it from ' + next + '.'
      : a.state === 'failed'
        ? 'No certificate for ' + a.name + ' yet: ' + a.error + '. Next try ' + next + '; the self-signed one below is shown meanwhile.'
        : 'Asking for a certificate for ' + a.name + '…';
  }

  $('cert-ask').addEventListener('click', function () {
    $('cert-confirm').hidden = false;
    $('cert-done').hidden = true;
    $('cert-error').textContent = '';
  });
  $('cert-no').addEventListener('click', function () { $('cert-confirm').hidden = true; });
  $('cert-yes').addEventListener('click', function () {
    api('POST', '/api/tls/new-certificate', {}).then(function (res) {
      $('cert-confirm').hidden = true;
      if (res.status === 200) { renderCert(res.json.tls); $('cert-done').hidden = false; return; }
      if (res.status === 401) { show('view-login'); return; }
      $('cert-error').textContent = res.json.error || ('Error ' + res.status);
    });
  });

  // ---- reachability ("reach" in /api/status, docs/reachability.md) --------------------------
  var kinds = { 'public': 'public', cgnat: 'CGNAT: shared by the provider', 'private': 'private (behind another router)', unusable: 'not usable on the internet' };
  var methods = { upnp: 'UPnP', 'nat-pmp': 'NAT-PMP', pcp: 'PCP' };

  function item(list, state, cls, text) {
    var li = document.createElement('li');
    var b = document.createElement('span');
    b.className = 'st ' + cls;
    b.textContent = state;
    li.appendChild(b);
    li.appendChild(document.createTextNode(text));
    list.appendChild(li);
  }

  function ago(s) { return s == null ? '' : s < 60 ? s + ' s ago' : duration(s) + ' ago'; }

  function clock(s) {
    return new Date(Date.now() + s * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }

  function renderReach(rc) {
    $('rc').hidden = !rc;
    $('rc-none').hidden = !!rc;
    if (!rc) { return; }
    var pa = rc.publicAddress || { kind: 'none' };
    $('rc-addr').textContent = pa.address ? pa.address + ' (' + (kinds[pa.kind] || pa.kind) + ')' : 'none reported';
    var note = $('rc-note');
    note.textContent = pa.note || '';
    note.className = pa.reachable ? 'note' : 'warn';
    var pm = rc.portMapping;
    $('rc-router').textContent = !pm ? '–' : !pm.enabled ? 'port mapping is off' : (pm.router || 'searching…');
    var dyn = rc.dynDns;
    $('rc-dyn-t').hidden = $('rc-dyn').hidden = !dyn;
    if (dyn) {
      $('rc-dyn').textContent = dyn.lastUpdateSecondsAgo == null ? 'not updated yet'
        : (dyn.message || dyn.result) + ' (' + ago(dyn.lastUpdateSecondsAgo) + ')';
    }
    var list = $('rc-ports');
    list.textContent = '';
    var ports = pm && pm.ports || [];
    for (var i = 0; i < ports.length; i++) {
      var p = ports[i];
      var ext = p.externalPort && p.externalPort !== p.port ? ' → outside ' + p.externalPort : '';
      if (p.state === 'mapped') {
        item(list, 'mapped', 'ok', p.port + ext + ' by ' + (methods[p.method] || p.method)
          + (p.expiresInSeconds != null ? ' until ' + clock(p.expiresInSeconds) + ' (renewed)' : p.leaseSeconds === 0 ? ', no lease end' : ''));
      } else {
        item(list, p.state, p.state === 'failed' ? 'bad' : '', p.port + ext + (p.message ? ': ' + p.message : ''));
      }
    }
    if (!ports.length) { item(list, 'none', '', 'no port to map'); }
    list = $('rc-up');
    list.textContent = '';
    var ups = rc.upstreams || [];
    var down = {};
    for (i = 0; i < ups.length; i++) { if (ups[i].role === 'primary' && ups[i].state === 'down') { down[ups[i].route] = true; } }
    for (i = 0; i < ups.length; i++) {
      var u = ups[i];
      item(list, u.state, u.state === 'up' ? 'ok' : u.state === 'down' ? 'bad' : '',
        u.route + (u.role === 'fallback' ? ' fallback' : '') + ': ' + u.host + ':' + u.port
        + (u.state === 'up' && u.connectMs != null ? ', ' + u.connectMs + ' ms' : u.message ? ', ' + u.message : '')
        + (u.role === 'fallback' && u.state === 'up' && down[u.route] ? ' (tried first)' : '')
        + (u.checkedSecondsAgo != null ? ' · ' + ago(u.checkedSecondsAgo) : ''));
    }
    if (!ups.length) { item(list, 'none', '', 'not checked yet'); }
  }

  function drawQr(canvas, text) {
    if (canvas.getAttribute('data-text') === text || typeof qrcode !== 'function') { return; }
    var qr = qrcode(0, 'M');
    qr.addData(text);
    qr.make();
    var n = qr.getModuleCount();
    var scale = Math.max(2, Math.floor(264 / (n + 8)));
    var size = (n + 8) * scale; // 4-module quiet zone each side (ISO/IEC 18004)
    canvas.width = size;
    canvas.height = size;
    var ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, size, size);
    ctx.fillStyle = '#000';
    for (var y = 0; y < n; y++) {
      for (var x = 0; x < n; x++) {
        if (qr.isDark(y, x)) { ctx.fillRect((x + 4) * scale, (y + 4) * scale, scale, scale); }
      }
    }
    canvas.setAttribute('data-text', text);
  }

  $('logout').addEventListener('click', function () {
    api('POST', '/api/logout', {}).then(function () { csrf = ''; show('view-login'); });
  });

  // ---- settings ---------------------------------------------------------------------------
  $('to-settings').addEventListener('click', function () {
    api('GET', '/api/config').then(function (res) {
      if (res.status !== 200) { failed(res, document); return; }
      var c = res.json;
      $('set-ssid').value = c.wifi ? c.wifi.ssid : '';
      $('set-wifipw').value = '';
      $('set-chat').value = c.relay.chatPorts.join(', ');
      $('set-media').value = c.relay.mediaPorts.join(', ');
      $('set-host').value = c.network.publicHost;
      $('reset-confirm').hidden = true;
      clearErrors($('view-settings'));
      show('view-settings');
    });
  });

  $('to-status').addEventListener('click', function () { loadStatus(false); });

  $('form-settings').addEventListener('submit', function (e) {
    e.preventDefault();
    var root = $('view-settings');
    clearErrors(root);
    var wifi = { ssid: $('set-ssid').value };
    if ($('set-wifipw').value) { wifi.password = $('set-wifipw').value; }
    var body = {
      relay: { chatPorts: ports($('set-chat').value), mediaPorts: ports($('set-media').value) },
      network: { publicHost: $('set-host').value.trim() }
    };
    if (wifiRadio) { body.wifi = wifi; }
    api('POST', '/api/config', body).then(function (res) {
      if (res.status !== 200) { failed(res, root); return; }
      loadStatus(true);
    });
  });

  $('form-chpw').addEventListener('submit', function (e) {
    e.preventDefault();
    var root = $('form-chpw');
    clearErrors(root);
    api('POST', '/api/admin-password', { currentPassword: $('chpw-current').value, password: $('chpw-new').value }).then(function (res) {
      $('chpw-current').value = '';
      $('chpw-new').value = '';
      if (res.status !== 200) { failed(res, root); return; }
      csrf = res.json.csrf;
      banner('');
      loadStatus(false);
    });
  });

  $('reset-ask').addEventListener('click', function () { $('reset-confirm').hidden = false; });
  $('reset-no').addEventListener('click', function () { $('reset-confirm').hidden = true; });
  $('reset-yes').addEventListener('click', function () {
    api('POST', '/api/factory-reset', { confirm: 'factory-reset' }).then(function (res) {
      if (res.status !== 200) { failed(res, $('view-settings')); return; }
      csrf = '';
      show('view-setpw');
    });
  });

  start();
}());
