/*!
 * Mipyme IA: widget de chat embebible (sin dependencias, sin paso de compilación).
 *
 *   <script src="https://host/widget.js" data-api="https://host"
 *           data-title="Asesor IA para tu negocio" defer></script>
 *
 * Crea <mipyme-chat> (shadow DOM). Atributos: api, heading, position="left|right",
 * launcher-label, greeting, open. Métodos: open(), close(), send(texto).
 * Eventos: mipyme-open, mipyme-close, mipyme-answer (detail = ChatResponse).
 * Tema: variables CSS --mipyme-primary, --mipyme-bg, --mipyme-text, --mipyme-radius, ...
 *
 * Seguridad: el texto del modelo y de las fuentes nunca pasa por innerHTML; todo se
 * construye con createElement/textContent y solo las URL http(s) se vuelven enlaces.
 */
(function () {
  'use strict';

  var TAG = 'mipyme-chat';
  var SCRIPT = document.currentScript;
  if (window.customElements && customElements.get(TAG)) return;

  var SCRIPT_ORIGIN = (function () {
    try { return new URL(SCRIPT.src, location.href).origin; } catch (e) { return location.origin; }
  })();

  var STALL_MS = 60000; // sin bytes durante 60 s: redes lentas sí, conexión muerta no
  var MAX_ITEMS = 40;

  var T = {
    title: 'Asesor IA para tu negocio',
    subtitle: 'Cursos, ideas y apoyos para tu Mipyme',
    launcher: 'Asesor IA',
    open: 'Abrir chat',
    closeChat: 'Cerrar chat',
    close: 'Cerrar',
    placeholder: 'Escribe tu pregunta…',
    input: 'Escribe tu pregunta',
    send: 'Enviar',
    stop: 'Detener respuesta',
    log: 'Conversación',
    typing: 'Buscando la mejor respuesta…',
    greeting: '¡Hola! Soy tu asesor de inteligencia artificial para Mipymes. ' +
      'Cuéntame a qué se dedica tu negocio y en qué estado está, y te recomiendo ' +
      'cursos, ideas y apoyos de Plan México.',
    privacy: 'No compartas datos personales como tu RFC, CURP o teléfono.',
    starters: [
      'Tengo una tienda de abarrotes y quiero vender más',
      '¿Qué cursos gratuitos de IA me recomiendas?',
      '¿Qué apoyos ofrece Plan México a las Mipymes?'
    ],
    suggested: 'Preguntas sugeridas',
    path: 'Tu ruta de aprendizaje',
    useCases: 'Ideas de IA para tu negocio',
    programs: 'Programas y apoyos',
    sources: 'Fuentes',
    source: 'Fuente',
    viewCourse: 'Ver curso',
    newTab: '(se abre en otra pestaña)',
    noDuration: 'Duración no confirmada',
    free: 'Gratis',
    cost: 'Costo: ',
    firstStep: 'Primer paso: ',
    validAsOf: 'Verificado el ',
    stale: 'Pudo cambiar desde entonces: confírmalo en la fuente antes de hacer un trámite.',
    courses: function (n) { return n === 1 ? '1 curso' : n + ' cursos'; },
    weeks: function (n) { return n === 1 ? 'aprox. 1 semana' : 'aprox. ' + n + ' semanas'; },
    unknown: function (n) { return n === 1 ? '1 sin duración confirmada' : n + ' sin duración confirmada'; },
    total: ' en total',
    helpful: '¿Te sirvió?',
    up: 'Sí, me sirvió',
    down: 'No me sirvió',
    thanks: '¡Gracias!',
    fbError: 'No pudimos enviar tu opinión. Inténtalo de nuevo.',
    forget: 'Borrar mis datos',
    confirmQ: '¿Borrar tu conversación y lo que sabemos de tu negocio? No se puede deshacer.',
    cancel: 'Cancelar',
    confirmYes: 'Sí, borrar',
    forgotten: 'Listo: borramos tu conversación y tus datos.',
    retry: 'Reintentar',
    stopped: 'Respuesta detenida.',
    footer: 'Generado con IA: revisa las fuentes.',
    errNet: 'No pudimos conectar con el asesor. Revisa tu conexión a internet e inténtalo de nuevo.',
    errOffline: 'Parece que no tienes conexión a internet. Conéctate e inténtalo de nuevo.',
    errTimeout: 'La respuesta está tardando demasiado. Revisa tu conexión e inténtalo de nuevo.',
    errCut: 'La conexión se cortó antes de terminar la respuesta.',
    errServer: 'El asesor no está disponible en este momento. Inténtalo de nuevo en unos minutos.',
    errBusy: 'Hay muchas consultas en este momento.',
    wait: function (n) { return ' Podrás intentarlo de nuevo en ' + n + ' s.'; }
  };

  var LEVELS = {
    fundamental: 'Básico', beginner: 'Básico', basic: 'Básico', 'básico': 'Básico', basico: 'Básico',
    intermediate: 'Intermedio', intermedio: 'Intermedio',
    advanced: 'Avanzado', avanzado: 'Avanzado'
  };
  var LANGS = {
    es: 'Español', en: 'Inglés', pt: 'Portugués', fr: 'Francés', de: 'Alemán', it: 'Italiano',
    ja: 'Japonés', ko: 'Coreano', zh: 'Chino', id: 'Indonesio'
  };

  // Trazos de 24×24 (estilo Feather, MIT).
  var I = {
    chat: 'M21 11.5a8.4 8.4 0 0 1-9 8.4 8.6 8.6 0 0 1-3.8-.9L3 21l1.9-5.1A8.4 8.4 0 0 1 12 3a8.4 8.4 0 0 1 9 8.5z',
    x: 'M18 6 6 18M6 6l12 12',
    down: 'm6 9 6 6 6-6',
    send: 'M22 2 11 13M22 2l-7 20-4-9-9-4z',
    stop: 'M7 7h10v10H7z',
    spark: 'M12 3l1.8 5.2L19 10l-5.2 1.8L12 17l-1.8-5.2L5 10l5.2-1.8zM19 15l.8 2.2L22 18l-2.2.8L19 21l-.8-2.2L16 18l2.2-.8z',
    ext: 'M15 3h6v6M10 14 21 3M18 13v6a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2h6',
    up: 'M7 10v11H4a1 1 0 0 1-1-1v-9a1 1 0 0 1 1-1zm0 0 4-8a3 3 0 0 1 3 3v4h5.5a2 2 0 0 1 2 2.3l-1.4 9a2 2 0 0 1-2 1.7H7',
    dn: 'M17 14V3h3a1 1 0 0 1 1 1v9a1 1 0 0 1-1 1zm0 0-4 8a3 3 0 0 1-3-3v-4H4.5a2 2 0 0 1-2-2.3l1.4-9a2 2 0 0 1 2-1.7H17',
    retry: 'M3 3v6h6M3.5 14a9 9 0 1 0 2-9.3L3 9'
  };

  var CSS = [
    ':host{all:initial;--_p:var(--mipyme-primary,#0f766e);--_pt:var(--mipyme-primary-text,#fff);',
    '--_bg:var(--mipyme-bg,#fff);--_tx:var(--mipyme-text,#1c2430);--_mu:var(--mipyme-muted,#5a6472);',
    '--_sf:var(--mipyme-surface,#f1f5f4);--_bd:var(--mipyme-border,#dde4e2);--_r:var(--mipyme-radius,16px);',
    '--_f:var(--mipyme-font,system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif);',
    '--_z:var(--mipyme-z-index,2147483000);',
    '--_sh:var(--mipyme-shadow,0 16px 48px rgba(16,24,40,.2),0 2px 8px rgba(16,24,40,.08));',
    'font:15px/1.45 var(--_f);color:var(--_tx)}',
    '*,*::before,*::after{box-sizing:border-box}[hidden]{display:none!important}',
    'svg{width:20px;height:20px;flex:none;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}',
    'button,textarea{font:inherit;color:inherit}button{cursor:pointer}a{color:var(--_p)}',
    ':focus-visible{outline:3px solid var(--_p);outline-offset:2px}',
    '.sr{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}',
    // Lanzador
    '.launcher{position:fixed;right:20px;bottom:20px;z-index:var(--_z);display:flex;align-items:center;gap:8px;',
    'height:56px;min-width:56px;padding:0 20px 0 16px;border:0;border-radius:28px;background:var(--_p);color:var(--_pt);',
    'font-weight:600;font-size:15px;box-shadow:var(--_sh);transition:transform .15s ease}',
    '.launcher:hover{transform:translateY(-1px)}.launcher svg{width:24px;height:24px}',
    '.launcher .ic2,.launcher.on .ic1,.launcher.on .ll{display:none}.launcher.on .ic2{display:block}',
    '.launcher.on{padding:0;justify-content:center;width:56px}',
    '.left{right:auto;left:20px;transform-origin:bottom left}',
    // Panel
    '.panel{position:fixed;right:20px;bottom:88px;z-index:var(--_z);display:flex;flex-direction:column;',
    'width:400px;max-width:calc(100vw - 40px);height:min(680px,calc(100vh - 112px));background:var(--_bg);',
    'border:1px solid var(--_bd);border-radius:var(--_r);box-shadow:var(--_sh);overflow:hidden;',
    'animation:pop .18s ease-out;transform-origin:bottom right}',
    '@keyframes pop{from{opacity:0;transform:translateY(8px) scale(.98)}to{opacity:1;transform:none}}',
    '.hd{display:flex;align-items:center;gap:10px;padding:12px 8px 12px 14px;background:var(--_p);color:var(--_pt)}',
    '.hd :focus-visible{outline-color:var(--_pt)}',
    '.av{display:grid;place-items:center;width:38px;height:38px;flex:none;border-radius:50%;background:rgba(255,255,255,.18)}',
    '.hdt{flex:1;min-width:0}.hd h2{margin:0;font-size:16px;line-height:1.25;font-weight:700;',
    'white-space:nowrap;overflow:hidden;text-overflow:ellipsis}',
    '.hd p{margin:1px 0 0;font-size:12.5px;opacity:.88;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}',
    '.ib{display:grid;place-items:center;width:40px;height:40px;flex:none;border:0;border-radius:10px;background:transparent}',
    '.ib:hover{background:rgba(255,255,255,.16)}',
    // Conversación
    '.log{position:relative;flex:1;overflow-y:auto;overscroll-behavior:contain;padding:16px 14px 12px;',
    'display:flex;flex-direction:column;gap:14px}',
    '.log:focus-visible{outline-offset:-3px}',
    '.msg{display:flex;flex-direction:column;gap:10px;min-width:0}',
    '.bubble{padding:10px 14px;overflow-wrap:anywhere}',
    '.user{align-self:flex-end;max-width:85%}',
    '.user .bubble{background:var(--_p);color:var(--_pt);border-radius:18px 18px 4px 18px;white-space:pre-wrap}',
    '.bot .bubble{align-self:flex-start;max-width:100%;background:var(--_sf);border-radius:4px 18px 18px 18px}',
    '.bubble p{margin:0 0 8px}.bubble p:last-child,.bubble ul:last-child,.bubble ol:last-child{margin-bottom:0}',
    '.bubble ul,.bubble ol{margin:4px 0 8px;padding-left:22px}.bubble li{margin:2px 0}',
    '.bubble .h{font-weight:700}.bubble .fine{font-size:13px;color:var(--_mu)}',
    '.cite{display:inline-block;min-width:20px;height:20px;padding:0 5px;margin:0 2px;border-radius:10px;',
    'border:1px solid var(--_bd);background:var(--_bg);color:var(--_p);font-size:11.5px;font-weight:700;',
    'line-height:18px;text-align:center;text-decoration:none;vertical-align:2px}',
    'a.cite:hover{background:var(--_p);color:var(--_pt);border-color:var(--_p)}',
    '.typing{display:flex;align-items:center;gap:10px;color:var(--_mu);font-size:13.5px}',
    '.dots{display:inline-flex;gap:4px}.dots i{width:7px;height:7px;border-radius:50%;background:var(--_p);',
    'animation:b 1.2s infinite ease-in-out both}.dots i:nth-child(2){animation-delay:.15s}.dots i:nth-child(3){animation-delay:.3s}',
    '@keyframes b{0%,80%,100%{opacity:.25;transform:none}40%{opacity:1;transform:translateY(-3px)}}',
    // Secciones de recomendaciones
    '.x{display:flex;flex-direction:column;gap:14px}.sec{display:flex;flex-direction:column;gap:8px}',
    '.sec h3{margin:0;font-size:12px;font-weight:700;letter-spacing:.05em;text-transform:uppercase;color:var(--_mu)}',
    '.sum{margin:-4px 0 0;font-size:13px;color:var(--_mu)}',
    '.cards,.uc,.pg,.srcs{list-style:none;margin:0;padding:0}',
    '.cards{display:flex;flex-direction:column;gap:8px}',
    '.card{display:flex;flex-direction:column;gap:8px;padding:12px;border:1px solid var(--_bd);border-radius:12px;background:var(--_bg)}',
    '.ct{display:flex;gap:10px;align-items:flex-start}',
    '.step{display:grid;place-items:center;width:24px;height:24px;flex:none;border-radius:50%;background:var(--_p);',
    'color:var(--_pt);font-size:12.5px;font-weight:700}',
    '.card h4{margin:2px 0 0;font-size:14.5px;line-height:1.3}.prov{margin:2px 0 0;font-size:13px;color:var(--_mu)}',
    '.tags{display:flex;flex-wrap:wrap;gap:6px}',
    '.tag{padding:2px 9px;border-radius:999px;border:1px solid var(--_bd);background:var(--_sf);font-size:12px;line-height:1.5}',
    '.tag.free{background:#e6f5ec;border-color:#bfe3cd;color:#13613a}.tag.nd{color:var(--_mu);font-style:italic}',
    '.why,.cost{margin:0;font-size:13px}.cost{color:var(--_mu)}',
    '.go{align-self:flex-start;display:inline-flex;align-items:center;gap:6px;padding:7px 12px;border-radius:8px;',
    'border:1px solid var(--_p);color:var(--_p);font-size:13.5px;font-weight:600;text-decoration:none}',
    '.go svg{width:16px;height:16px}.go:hover{background:var(--_p);color:var(--_pt)}',
    '.uc,.pg{border:1px solid var(--_bd);border-radius:12px;background:var(--_bg);overflow:hidden}',
    '.uc li+li,.pg li+li{border-top:1px solid var(--_bd)}',
    '.uc summary{display:flex;gap:8px;padding:10px 12px;font-weight:600;font-size:14px;cursor:pointer;list-style:none}',
    '.uc summary::-webkit-details-marker{display:none}',
    '.uc summary::after{content:"+";margin-left:auto;color:var(--_p);font-weight:700}.uc [open] summary::after{content:"\\2212"}',
    '.uc summary:focus-visible{outline-offset:-3px}',
    '.uc p{margin:0 12px 10px;font-size:13px}.uc .fs{color:var(--_mu)}',
    '.pg li{padding:10px 12px;font-size:13px}.pg a{font-weight:600;font-size:14px}',
    '.pg p{margin:4px 0 0}.pg .va{display:block;margin-top:2px;color:var(--_mu);font-size:12px}.pg .caution{font-style:italic}',
    '.srcs{display:flex;flex-direction:column;gap:2px}',
    '.src{display:flex;gap:8px;align-items:baseline;padding:4px 6px;margin:0 -6px;border-radius:8px;',
    'color:var(--_tx);font-size:13px;line-height:1.35;text-decoration:none}',
    'a.src:hover{background:var(--_sf)}a.src:hover .st{text-decoration:underline}',
    '.src .cite{flex:none;margin:0}.src .st{flex:1}.src .d{color:var(--_mu);font-size:12px;white-space:nowrap}',
    // Opinión, sugerencias y errores
    '.fb{display:flex;align-items:center;gap:2px;font-size:12.5px;color:var(--_mu)}.fb>span:first-child{margin-right:4px}',
    '.fb button{display:grid;place-items:center;width:34px;height:34px;border:0;border-radius:8px;background:transparent;color:var(--_mu)}',
    '.fb button svg{width:18px;height:18px}.fb button:hover:not(:disabled){background:var(--_sf);color:var(--_tx)}',
    '.fb button[aria-pressed=true]{background:var(--_sf);color:var(--_p)}.fb button:disabled{cursor:default}',
    '.fb button:disabled:not([aria-pressed=true]){opacity:.45}.fb .ok{margin-left:6px;color:var(--_p);font-weight:600}',
    '.quick{display:flex;flex-wrap:wrap;justify-content:flex-end;gap:8px}',
    '.chip{max-width:100%;padding:8px 14px;border:1px solid var(--_p);border-radius:18px;background:var(--_bg);',
    'color:var(--_p);font-size:14px;line-height:1.3;text-align:left}',
    '.chip:hover{background:var(--_p);color:var(--_pt)}',
    '.err .bubble{background:#fdf1f0;border:1px solid #f2c9c4;color:#8b1d14}',
    '.btn{display:inline-flex;align-items:center;gap:6px;margin-top:8px;padding:7px 12px;border-radius:8px;',
    'border:1px solid currentColor;background:var(--_bg);font-size:13.5px;font-weight:600}.btn svg{width:16px;height:16px}',
    '.btn:disabled{opacity:.6;cursor:default}',
    '.note{align-self:center;padding:6px 12px;border-radius:999px;background:var(--_sf);color:var(--_mu);font-size:12.5px;text-align:center}',
    // Confirmación, redacción y pie
    '.cf{padding:12px 14px;border-top:1px solid var(--_bd);background:#fff8ec;color:#5c3b00;font-size:13.5px}',
    '.cf p{margin:0 0 8px}.cf div{display:flex;gap:8px;justify-content:flex-end}',
    '.cf button{padding:7px 14px;border-radius:8px;border:1px solid #d6c3a0;background:#fff;font-size:13.5px;font-weight:600}',
    '.cf .danger{background:#b42318;border-color:#b42318;color:#fff}',
    '.cmp{display:flex;align-items:flex-end;gap:8px;padding:10px 12px 6px;border-top:1px solid var(--_bd)}',
    'textarea{flex:1;min-width:0;height:44px;max-height:140px;resize:none;padding:11px 16px;border:1px solid var(--_bd);',
    'border-radius:22px;background:var(--_bg);font-size:16px;line-height:1.3}',
    'textarea::placeholder{color:var(--_mu);opacity:1}textarea:focus-visible{outline:0;border-color:var(--_p);box-shadow:0 0 0 1px var(--_p)}',
    '.send{display:grid;place-items:center;width:44px;height:44px;flex:none;border:0;border-radius:50%;',
    'background:var(--_p);color:var(--_pt)}.send svg{width:19px;height:19px}.send.stop svg{fill:currentColor}',
    'textarea:placeholder-shown+.send:not(.stop){opacity:.55}',
    '.ft{display:flex;justify-content:space-between;align-items:center;gap:8px;',
    'padding:2px 14px max(8px,env(safe-area-inset-bottom));font-size:11.5px;color:var(--_mu)}',
    '.lb{padding:4px 2px;border:0;background:none;color:var(--_mu);font-size:11.5px;text-decoration:underline;white-space:nowrap}',
    '.lb:hover{color:var(--_tx)}',
    '@media (max-width:600px){.panel,.panel.left{inset:0;width:100%;max-width:none;height:100%;height:100dvh;',
    'border:0;border-radius:0;animation-name:up}.launcher{right:16px;bottom:16px}.launcher.left{left:16px}}',
    '@keyframes up{from{opacity:0;transform:translateY(24px)}to{opacity:1;transform:none}}',
    '@media (prefers-reduced-motion:reduce){*,*::before,*::after{animation:none!important;transition:none!important}}'
  ].join('');

  // ---------------------------------------------------------------- utilidades DOM

  function add(el, c) {
    if (c == null || c === false) return;
    if (Array.isArray(c)) { c.forEach(function (x) { add(el, x); }); return; }
    el.appendChild(c.nodeType ? c : document.createTextNode(String(c)));
  }

  /** Crea un elemento; los hijos de texto siempre son nodos de texto (nunca HTML). */
  function h(tag, attrs) {
    var el = document.createElement(tag);
    for (var k in attrs || {}) {
      var v = attrs[k];
      if (v == null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : v);
    }
    for (var i = 2; i < arguments.length; i++) add(el, arguments[i]);
    return el;
  }

  function icon(d, cls) {
    var ns = 'http://www.w3.org/2000/svg';
    var s = document.createElementNS(ns, 'svg');
    s.setAttribute('viewBox', '0 0 24 24');
    s.setAttribute('aria-hidden', 'true');
    s.setAttribute('focusable', 'false');
    if (cls) s.setAttribute('class', cls);
    var p = document.createElementNS(ns, 'path');
    p.setAttribute('d', d);
    s.appendChild(p);
    return s;
  }

  /** Devuelve la URL normalizada si es http(s) absoluta; si no (javascript:, data:, …), null. */
  function safeUrl(u) {
    try {
      var x = new URL(String(u));
      return x.protocol === 'https:' || x.protocol === 'http:' ? x.href : null;
    } catch (e) { return null; }
  }

  function extLink(href, text, cls, label) {
    return h('a', { class: cls, href: href, target: '_blank', rel: 'noopener noreferrer', 'aria-label': label }, text);
  }

  function fmtNum(n) {
    try { return new Intl.NumberFormat('es-MX', { maximumFractionDigits: 1 }).format(n); } catch (e) { return String(n); }
  }

  function fmtHours(h) {
    return h < 1 ? Math.round(h * 60) + ' min' : fmtNum(h) + ' h';
  }

  function fmtDate(s) {
    if (!s) return '';
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
    if (!m) return String(s);
    try {
      return new Date(+m[1], +m[2] - 1, +m[3]).toLocaleDateString('es-MX', { day: 'numeric', month: 'short', year: 'numeric' });
    } catch (e) { return String(s); }
  }

  // ---------------------------------------------------------------- formato del texto

  // **negritas** | *negritas* (estilo WhatsApp) | [texto](https://…) | [1] o [1, 2] | https://… suelta
  var INLINE = /\*\*([^*\n]+?)\*\*|(^|[^\w*])\*([^*\s](?:[^*\n]*?[^*\s])?)\*(?![\w*])|\[([^\]\n]{1,200})\]\((https?:\/\/[^\s)]+)\)|\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]|(https?:\/\/[^\s<>()[\]]*[^\s<>()[\].,;:!?'"»])/g;

  function inline(parent, text, cite) {
    var last = 0, m;
    INLINE.lastIndex = 0;
    while ((m = INLINE.exec(text))) {
      if (m.index > last) add(parent, text.slice(last, m.index));
      if (m[1]) add(parent, h('strong', null, m[1]));
      else if (m[3]) { add(parent, m[2]); add(parent, h('strong', null, m[3])); }
      else if (m[4]) { var u = safeUrl(m[5]); add(parent, u ? extLink(u, m[4]) : m[4]); }
      else if (m[6]) m[6].split(',').forEach(function (n) { add(parent, cite(+n)); });
      else { var v = safeUrl(m[7]); add(parent, v ? extLink(v, m[7]) : m[7]); }
      last = INLINE.lastIndex;
    }
    if (last < text.length) add(parent, text.slice(last));
  }

  /** Texto del modelo → fragmento con párrafos, listas, **negritas** y chips [n]. */
  /** Texto comparable: minúsculas, sin acentos, sin marcas de formato ni espacios dobles. */
  function fold(text) {
    return String(text || '').toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '')
      .replace(/[*_«»"]/g, '').replace(/\s+/g, ' ').trim();
  }

  function formatAnswer(text, cite) {
    var frag = document.createDocumentFragment(), p = null, list = null;
    String(text).replace(/\r\n?/g, '\n').split('\n').forEach(function (raw) {
      var line = raw.trim();
      if (!line) { p = list = null; return; }
      var b = /^(?:[-*•]|(\d{1,2})[.)])\s+(.*)$/.exec(line);
      if (b) {
        var tag = b[1] ? 'OL' : 'UL';
        if (!list || list.tagName !== tag) {
          list = h(tag.toLowerCase());
          if (b[1] && +b[1] > 1) list.start = +b[1];
          frag.appendChild(list);
        }
        var li = h('li');
        inline(li, b[2], cite);
        list.appendChild(li);
        p = null;
        return;
      }
      list = null;
      var hd = /^#{1,6}\s+(.*)$/.exec(line);
      if (hd) { p = null; var el = h('p', { class: 'h' }); inline(el, hd[1], cite); frag.appendChild(el); return; }
      if (p) p.appendChild(h('br')); else { p = h('p'); frag.appendChild(p); }
      inline(p, line, cite);
    });
    return frag;
  }

  // ---------------------------------------------------------------- SSE

  /**
   * Analizador de text/event-stream (WHATWG): acepta trozos arbitrarios, LF, CRLF o CR,
   * varias líneas data: (se unen con \n) y comentarios. Llama onEvent(nombre, datos).
   */
  function createSSEParser(onEvent) {
    var buf = '', data = [], name = '', has = false, skipLF = false;
    function line(l) {
      if (l === '') {
        if (has) onEvent(name || 'message', data.join('\n'));
        data = []; name = ''; has = false;
        return;
      }
      if (l.charAt(0) === ':') return;
      var i = l.indexOf(':');
      var field = i < 0 ? l : l.slice(0, i);
      var value = i < 0 ? '' : l.slice(i + 1);
      if (value.charAt(0) === ' ') value = value.slice(1);
      if (field === 'event') name = value;
      else if (field === 'data') { data.push(value); has = true; }
    }
    return {
      push: function (chunk) {
        if (!chunk) return;
        if (skipLF && chunk.charAt(0) === '\n') chunk = chunk.slice(1);
        skipLF = false;
        buf += chunk;
        var start = 0;
        for (var i = 0; i < buf.length; i++) {
          var c = buf.charAt(i);
          if (c !== '\n' && c !== '\r') continue;
          line(buf.slice(start, i));
          if (c === '\r') {
            if (i + 1 < buf.length) { if (buf.charAt(i + 1) === '\n') i++; } else skipLF = true;
          }
          start = i + 1;
        }
        buf = buf.slice(start);
      },
      end: function () {
        if (buf) line(buf);
        buf = '';
        line('');
      }
    };
  }

  async function readError(res) {
    var msg = '';
    try {
      var j = await res.json();
      msg = (j && j.error && j.error.message) || (j && typeof j.detail === 'string' && j.detail) || '';
    } catch (e) { /* cuerpo que no es JSON */ }
    var wait = 0;
    if (res.status === 429) {
      var ra = res.headers.get('Retry-After') || '';
      wait = /^\d+$/.test(ra) ? +ra : Math.ceil((Date.parse(ra) - Date.now()) / 1000) || 0;
      wait = Math.max(0, Math.min(wait, 3600));
    }
    return { message: msg || (res.status === 429 ? T.errBusy : T.errServer), wait: wait };
  }

  // ---------------------------------------------------------------- componente

  class MipymeChat extends HTMLElement {
    constructor() {
      super();
      this.items = [];
      this.sid = null;
      this.busy = false;
      this.isOpen = false;
    }

    static get observedAttributes() { return ['open']; }

    attributeChangedCallback(name, old, value) {
      if (!this.shadowRoot) return;
      if (value !== null && !this.isOpen) this.open(false);
      else if (value === null && this.isOpen) this.close();
    }

    get api() { return (this.getAttribute('api') || SCRIPT_ORIGIN).replace(/\/+$/, ''); }

    connectedCallback() {
      if (!this.shadowRoot) this._build();
      if (this.hasAttribute('open') && !this.isOpen) this.open(false);
    }

    disconnectedCallback() {
      if (this.ctrl) this.ctrl.abort();
      this._lock(false);
    }

    // ----- almacenamiento local (puede fallar en modo privado o con cookies bloqueadas)
    _load(k) {
      try { return JSON.parse(localStorage.getItem(this._key + k)); } catch (e) { return null; }
    }
    _save(k, v) {
      try {
        if (v == null) localStorage.removeItem(this._key + k);
        else localStorage.setItem(this._key + k, JSON.stringify(v));
      } catch (e) { /* sin almacenamiento: la sesión vive solo en memoria */ }
    }
    _setSid(id) {
      if (id && id !== this.sid) { this.sid = String(id); this._save('session', this.sid); }
    }

    _build() {
      var self = this;
      var root = this.attachShadow({ mode: 'open' });
      try {
        var sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS);
        root.adoptedStyleSheets = [sheet];
      } catch (e) { root.appendChild(h('style', null, CSS)); }

      this._key = 'mipyme-ia:' + this.api + ':';
      this.sid = this._load('session');
      this.items = this._load('log') || [];
      this._mq = window.matchMedia ? matchMedia('(max-width: 600px)') : { matches: false };

      var heading = this.getAttribute('heading') || T.title;
      var side = this.getAttribute('position') === 'left' ? ' left' : '';

      this.$launcher = h('button', {
        class: 'launcher' + side, type: 'button', 'aria-expanded': 'false', 'aria-controls': 'panel',
        'aria-label': T.open + ': ' + heading,
        onclick: function () { if (self.isOpen) self.close(); else self.open(); }
      }, icon(I.chat, 'ic1'), icon(I.down, 'ic2'),
        h('span', { class: 'll' }, this.getAttribute('launcher-label') || T.launcher));

      this.$log = h('div', {
        class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': T.log, tabindex: '0'
      });
      this.$log.addEventListener('wheel', function () { self._follow = false; }, { passive: true });
      this.$log.addEventListener('touchmove', function () { self._follow = false; }, { passive: true });

      this.$input = h('textarea', {
        rows: '1', maxlength: '4000', placeholder: T.placeholder, 'aria-label': T.input, enterkeyhint: 'send',
        oninput: function () { self._grow(); },
        onkeydown: function (e) {
          // Enter envía; mientras llega una respuesta no la interrumpe (solo el botón la detiene).
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); if (!self.busy) self._submit(); }
        }
      });
      this.$send = h('button', { class: 'send', type: 'submit', 'aria-label': T.send }, icon(I.send));

      this.$cancel = h('button', { type: 'button', onclick: function () { self._confirm(false); } }, T.cancel);
      this.$yes = h('button', { type: 'button', class: 'danger', onclick: function () { self._forget(); } }, T.confirmYes);
      this.$cfMsg = h('p', { role: 'alert' }, T.confirmQ);
      this.$confirm = h('div', { class: 'cf', hidden: true, role: 'group', 'aria-label': T.forget },
        this.$cfMsg, h('div', null, this.$cancel, this.$yes));
      this.$forgetBtn = h('button', {
        class: 'lb', type: 'button', 'aria-label': T.forget, onclick: function () { self._confirm(true); }
      }, T.forget);

      this.$panel = h('div', {
        id: 'panel', class: 'panel' + side, role: 'dialog', 'aria-label': heading, hidden: true,
        onkeydown: function (e) { self._keys(e); }
      },
        h('div', { class: 'hd' },
          h('span', { class: 'av', 'aria-hidden': 'true' }, icon(I.spark)),
          h('div', { class: 'hdt' }, h('h2', null, heading), h('p', null, T.subtitle)),
          h('button', { class: 'ib', type: 'button', 'aria-label': T.close, title: T.close,
            onclick: function () { self.close(); } }, icon(I.x))),
        this.$log,
        this.$confirm,
        h('form', { class: 'cmp', onsubmit: function (e) { e.preventDefault(); self._submit(); } },
          this.$input, this.$send),
        h('div', { class: 'ft' }, h('span', null, T.footer), this.$forgetBtn));

      root.appendChild(this.$launcher);
      root.appendChild(this.$panel);
      this._renderAll();
    }

    // ----- abrir / cerrar y foco
    open(focus) {
      if (!this.shadowRoot) this._build();
      this.isOpen = true;
      this.$panel.hidden = false;
      this.$launcher.classList.add('on');
      this.$launcher.setAttribute('aria-expanded', 'true');
      this.$launcher.setAttribute('aria-label', T.closeChat);
      if (!this.hasAttribute('open')) this.setAttribute('open', '');
      var modal = this._mq.matches;
      this.$panel.setAttribute('aria-modal', modal ? 'true' : 'false');
      this._lock(modal);
      this.$log.scrollTop = this.$log.scrollHeight;
      if (focus !== false) this.$input.focus();
      this.dispatchEvent(new CustomEvent('mipyme-open', { bubbles: true, composed: true }));
    }

    close() {
      if (!this.isOpen) return;
      var active = this.shadowRoot.activeElement;
      var inside = active === this.$launcher || this.$panel.contains(active);
      this.isOpen = false;
      this.$panel.hidden = true;
      this.$launcher.classList.remove('on');
      this.$launcher.setAttribute('aria-expanded', 'false');
      this.$launcher.setAttribute('aria-label', T.open + ': ' + (this.getAttribute('heading') || T.title));
      this.removeAttribute('open');
      this._lock(false);
      if (inside) this.$launcher.focus();
      this.dispatchEvent(new CustomEvent('mipyme-close', { bubbles: true, composed: true }));
    }

    /** En pantalla completa (móvil) la página de atrás no debe desplazarse. */
    _lock(on) {
      var de = document.documentElement;
      if (on && this._prevOverflow == null) { this._prevOverflow = de.style.overflow; de.style.overflow = 'hidden'; }
      if (!on && this._prevOverflow != null) { de.style.overflow = this._prevOverflow; this._prevOverflow = null; }
    }

    _keys(e) {
      if (e.key === 'Escape') {
        e.stopPropagation();
        if (!this.$confirm.hidden) this._confirm(false); else this.close();
        return;
      }
      if (e.key !== 'Tab' || this.$panel.getAttribute('aria-modal') !== 'true') return;
      // Modal a pantalla completa: el foco no sale del panel.
      var f = Array.prototype.filter.call(
        this.$panel.querySelectorAll('button,a[href],textarea,summary,[tabindex="0"]'),
        function (el) { return !el.disabled && el.getClientRects().length; });
      if (!f.length) return;
      var active = this.shadowRoot.activeElement;
      if (e.shiftKey && active === f[0]) { e.preventDefault(); f[f.length - 1].focus(); }
      else if (!e.shiftKey && active === f[f.length - 1]) { e.preventDefault(); f[0].focus(); }
    }

    _grow() {
      var t = this.$input;
      t.style.height = 'auto';
      t.style.height = Math.min(t.scrollHeight + 2, 140) + 'px';
    }

    // ----- render
    _renderAll() {
      var log = this.$log, self = this;
      log.textContent = '';
      this.$quick = null;
      var greet = this.getAttribute('greeting') || T.greeting;
      log.appendChild(h('div', { class: 'msg bot' },
        h('div', { class: 'bubble' }, h('p', null, greet), h('p', { class: 'fine' }, T.privacy))));
      var lastBot = null;
      this.items.forEach(function (it) {
        if (it.role === 'user') log.appendChild(self._userEl(it.text));
        else { lastBot = it; log.appendChild(self._botEl(it)); }
      });
      this._setQuick(lastBot ? lastBot.follow : T.starters);
    }

    _userEl(text) {
      return h('div', { class: 'msg user' }, h('div', { class: 'bubble' }, text));
    }

    _botEl(e) {
      var el = h('div', { class: 'msg bot' });
      el._b = h('div', { class: 'bubble' });
      el._x = h('div', { class: 'x' });
      el.appendChild(el._b);
      el.appendChild(el._x);
      this._paint(el, e);
      this._paintExtras(el, e);
      return el;
    }

    _cite(sources) {
      return function (n) {
        var s = null;
        (sources || []).forEach(function (x) { if (x && +x.n === n) s = x; });
        var href = s && safeUrl(s.url);
        var label = T.source + ' ' + n + (s && s.title ? ': ' + s.title : '');
        if (!href) return h('span', { class: 'cite', title: s && s.title }, String(n));
        var a = extLink(href, String(n), 'cite', label + ' ' + T.newTab);
        if (s.title) a.title = s.title;
        return a;
      };
    }

    _paint(el, e) {
      var b = el._b;
      b.textContent = '';
      if (!e.answer && e.pending) {
        b.appendChild(h('div', { class: 'typing' },
          h('span', { class: 'dots', 'aria-hidden': 'true' }, h('i'), h('i'), h('i')), T.typing));
      } else {
        b.appendChild(formatAnswer(e.answer, this._cite(e.sources)));
        if (e.stopped) b.appendChild(h('p', { class: 'fine' }, T.stopped));
      }
    }

    _paintExtras(el, e) {
      var x = el._x, r = e.recs || {}, self = this;
      x.textContent = '';
      // Nada aparece dos veces: una idea o un apoyo que el texto ya nombra no se repite como
      // tarjeta. Mientras llega el texto todavía no se sabe qué nombra: se pintan al final.
      var said = fold(e.answer);
      function fresh(item) { var t = fold(item && item.title); return !e.pending && t.length > 3 && said.indexOf(t) < 0; }
      var path = r.training_path || [];
      if (path.length) {
        var bits = [T.courses(path.length)];
        if (r.total_hours) bits.push(fmtHours(r.total_hours) + T.total);
        if (r.weeks) bits.push(T.weeks(r.weeks));
        if (r.unknown_duration) bits.push(T.unknown(r.unknown_duration));
        x.appendChild(h('section', { class: 'sec' }, h('h3', null, T.path), h('p', { class: 'sum' }, bits.join(' · ')),
          h('ol', { class: 'cards' }, path.map(function (c, i) { return self._course(c, i); }))));
      }
      var uc = (r.use_cases || []).filter(fresh);
      if (uc.length) {
        x.appendChild(h('section', { class: 'sec' }, h('h3', null, T.useCases), h('ul', { class: 'uc' }, uc.map(function (u) {
          return h('li', null, h('details', null, h('summary', null, u.title),
            u.summary ? h('p', null, u.summary) : null,
            u.first_step ? h('p', { class: 'fs' }, h('strong', null, T.firstStep), u.first_step) : null));
        }))));
      }
      var pg = (r.programs || []).filter(fresh);
      if (pg.length) {
        x.appendChild(h('section', { class: 'sec' }, h('h3', null, T.programs), h('ul', { class: 'pg' }, pg.map(function (p) {
          var href = safeUrl(p.url);
          return h('li', null,
            href ? extLink(href, p.title, null, p.title + ' ' + T.newTab) : h('strong', null, p.title),
            p.valid_as_of ? h('span', { class: 'va' }, T.validAsOf + fmtDate(p.valid_as_of)) : null,
            p.summary ? h('p', null, p.summary) : null,
            p.stale ? h('p', { class: 'caution' }, T.stale) : null);
        }))));
      }
      var src = e.sources || [];
      if (src.length) {
        x.appendChild(h('section', { class: 'sec' }, h('h3', null, T.sources), h('ol', { class: 'srcs' }, src.map(function (s) {
          var href = safeUrl(s.url), title = s.title || s.url || '';
          var parts = [h('span', { class: 'cite' }, String(s.n)), h('span', { class: 'st' }, title),
            s.published ? h('span', { class: 'd' }, fmtDate(s.published)) : null];
          return h('li', null, href
            ? extLink(href, parts, 'src', T.source + ' ' + s.n + ': ' + title + ' ' + T.newTab)
            : h('span', { class: 'src' }, parts));
        }))));
      }
      if (!e.pending && e.id) x.appendChild(this._feedback(e));
    }

    _course(c, i) {
      var href = safeUrl(c.url);
      var lvl = LEVELS[String(c.level || '').toLowerCase()] || c.level;
      var hasH = typeof c.duration_hours === 'number' && c.duration_hours > 0;
      var cost = String(c.cost || '');
      var free = /^(gratis|gratuito|free)\b/i.test(cost);
      var langs = (c.languages || []).map(function (l) { return LANGS[l] || String(l).toUpperCase(); }).join(', ');
      return h('li', { class: 'card' },
        h('div', { class: 'ct' }, h('span', { class: 'step', 'aria-hidden': 'true' }, String(i + 1)),
          h('div', null, h('h4', null, c.title), c.provider ? h('p', { class: 'prov' }, c.provider) : null)),
        h('div', { class: 'tags' },
          h('span', { class: hasH ? 'tag' : 'tag nd' }, hasH ? fmtHours(c.duration_hours) : T.noDuration),
          lvl ? h('span', { class: 'tag' }, lvl) : null,
          free ? h('span', { class: 'tag free' }, T.free) : null,
          langs ? h('span', { class: 'tag' }, langs) : null),
        cost && !free ? h('p', { class: 'cost' }, T.cost + cost) : null,
        c.why ? h('p', { class: 'why' }, c.why) : null,
        href ? extLink(href, [T.viewCourse, icon(I.ext)], 'go', T.viewCourse + ': ' + c.title + ' ' + T.newTab) : null);
    }

    _feedback(e) {
      var self = this;
      var ok = h('span', { class: 'ok', tabindex: '-1', role: 'status' });
      function btn(rating, d, label) {
        return h('button', {
          type: 'button', 'aria-label': label, title: label, 'aria-pressed': e.vote === rating ? 'true' : 'false',
          disabled: !!e.vote, onclick: function () { self._vote(e, rating, up, down, ok); }
        }, icon(d));
      }
      var up = btn('up', I.up, T.up), down = btn('down', I.dn, T.down);
      if (e.vote) ok.textContent = T.thanks;
      return h('div', { class: 'fb' }, h('span', null, T.helpful), up, down, ok);
    }

    async _vote(e, rating, up, down, ok) {
      up.disabled = down.disabled = true;
      (rating === 'up' ? up : down).setAttribute('aria-pressed', 'true');
      try {
        var res = await fetch(this.api + '/v1/feedback', {
          method: 'POST', headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ session_id: this.sid, message_id: e.id, rating: rating })
        });
        if (!res.ok) throw new Error(String(res.status));
        e.vote = rating;
        this._save('log', this.items);
        ok.textContent = T.thanks;
      } catch (err) {
        up.disabled = down.disabled = false;
        (rating === 'up' ? up : down).setAttribute('aria-pressed', 'false');
        ok.textContent = T.fbError;
      }
      ok.focus();
    }

    _setQuick(list) {
      var self = this;
      if (this.$quick) { this.$quick.remove(); this.$quick = null; }
      list = (list || []).filter(function (s) { return typeof s === 'string' && s.trim(); });
      if (!list.length) return;
      this.$quick = h('div', { class: 'quick', role: 'group', 'aria-label': T.suggested }, list.map(function (s) {
        return h('button', { class: 'chip', type: 'button', onclick: function () { self.$input.focus(); self.send(s); } }, s);
      }));
      this.$log.appendChild(this.$quick);
    }

    _note(text) {
      this.$log.appendChild(h('p', { class: 'note', role: 'status' }, text));
    }

    /** Sigue la respuesta mientras llega, sin pasar de su inicio (se lee desde arriba). */
    _scroll(el) {
      var log = this.$log;
      if (!this._follow) return;
      var target = log.scrollHeight - log.clientHeight;
      if (el) target = Math.min(target, el.offsetTop - 12);
      if (target > log.scrollTop) log.scrollTop = target;
    }

    // ----- envío
    _submit() {
      if (this.busy) { this._stop(); return; }
      var text = this.$input.value.trim();
      if (!text) { this.$input.focus(); return; }
      this.$input.value = '';
      this._grow();
      this.send(text);
    }

    _stop() {
      if (this.ctrl) { this._stopped = true; this.ctrl.abort(); }
    }

    _setBusy(on) {
      this.busy = on;
      this.$send.classList.toggle('stop', on);
      this.$send.setAttribute('aria-label', on ? T.stop : T.send);
      this.$send.textContent = '';
      this.$send.appendChild(icon(on ? I.stop : I.send));
      this.$log.setAttribute('aria-busy', on ? 'true' : 'false');
    }

    /** Envía un mensaje como si el usuario lo hubiera escrito. */
    send(text) {
      // Count characters, not UTF-16 units: the server's 4,000 limit is in characters and a
      // cut through an emoji's surrogate pair would be rejected.
      text = Array.from(String(text || '').trim()).slice(0, 4000).join('');
      if (!text || this.busy) return;
      if (!this.isOpen) this.open(false);
      this._setQuick([]);
      var u = this._userEl(text);
      this.$log.appendChild(u);
      this.$log.scrollTop = this.$log.scrollHeight;
      this._ask(text, false);
    }

    async _ask(text, again) {
      var self = this;
      var e = { role: 'bot', id: null, answer: '', sources: [], recs: null, follow: [], pending: true };
      var el = this._botEl(e);
      this.$log.appendChild(el);
      this._follow = true;
      this._scroll();
      this._setBusy(true);
      this._stopped = false;

      var ctrl = new AbortController(), timer = null, timedOut = false;
      this.ctrl = ctrl;
      function arm() {
        clearTimeout(timer);
        timer = setTimeout(function () { timedOut = true; ctrl.abort(); }, STALL_MS);
      }
      var done = false, fail = null, frame = 0, sent = this.sid, retry404 = false;
      function paint() {
        if (frame) return;
        frame = requestAnimationFrame(function () { frame = 0; self._paint(el, e); self._scroll(el); });
      }
      function finish(r) {
        if (r && r.type === 'done' && r.response) r = r.response;
        if (!r || typeof r !== 'object') return;
        done = true;
        self._setSid(r.session_id);
        if (r.message_id) e.id = r.message_id;
        if (typeof r.answer === 'string' && r.answer) e.answer = r.answer;
        if (Array.isArray(r.sources)) e.sources = r.sources;
        if (r.recommendations) e.recs = r.recommendations;
        if (Array.isArray(r.follow_up)) e.follow = r.follow_up;
        e.response = r;
      }
      function onEvent(name, raw) {
        var d;
        try { d = JSON.parse(raw); } catch (x) { d = name === 'delta' ? { text: raw } : null; }
        if (!d || typeof d !== 'object') return;
        if (name === 'message' && d.type) name = d.type;
        if (name === 'meta') { self._setSid(d.session_id); if (d.message_id) e.id = d.message_id; }
        else if (name === 'delta') { if (typeof d.text === 'string') { e.answer += d.text; paint(); } }
        else if (name === 'sources') { e.sources = d.sources || []; self._paintExtras(el, e); paint(); }
        else if (name === 'recommendations') {
          e.recs = d.recommendations || null;
          if (Array.isArray(d.follow_up)) e.follow = d.follow_up;
          self._paintExtras(el, e);
        } else if (name === 'done') finish(d);
        else if (name === 'error') fail = { message: d.message || T.errServer };
      }

      try {
        arm();
        var body = { message: text, channel: 'web' };
        if (sent) body.session_id = sent;
        var res = await fetch(this.api + '/v1/chat/stream', {
          method: 'POST', signal: ctrl.signal,
          headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
          body: JSON.stringify(body)
        });
        if (!res.ok) {
          // Sesión olvidada en el servidor: empezamos una nueva una sola vez.
          if (res.status === 404 && sent && !again) retry404 = true;
          else fail = await readError(res);
        } else if (/json/i.test(res.headers.get('Content-Type') || '')) {
          finish(await res.json());
        } else {
          var parser = createSSEParser(onEvent);
          if (res.body && res.body.getReader) {
            var reader = res.body.getReader(), dec = new TextDecoder();
            for (;;) {
              var r = await reader.read();
              if (r.done) break;
              arm();
              parser.push(dec.decode(r.value, { stream: true }));
              if (fail || done) { reader.cancel().catch(function () {}); break; }
            }
            parser.push(dec.decode());
          } else {
            parser.push(await res.text());
          }
          parser.end();
          if (!done && !fail) fail = { message: T.errCut };
        }
      } catch (err) {
        if (!fail && !done) {
          fail = this._stopped ? null
            : { message: timedOut ? T.errTimeout : navigator.onLine === false ? T.errOffline : T.errNet };
        }
      }
      clearTimeout(timer);
      if (frame) cancelAnimationFrame(frame);
      this.ctrl = null;
      this._setBusy(false);
      e.pending = false;

      if (retry404) {
        el.remove();
        this.sid = null;
        this._save('session', null);
        return this._ask(text, true);
      }
      if (done) {
        this._paint(el, e);
        this._paintExtras(el, e);
        var resp = e.response;
        delete e.response;
        this.items.push({ role: 'user', text: text }, e);
        this.items = this.items.slice(-MAX_ITEMS);
        this._save('log', this.items);
        this._setQuick(e.follow);
        this._scroll(el);
        this.dispatchEvent(new CustomEvent('mipyme-answer', { bubbles: true, composed: true, detail: resp }));
      } else if (this._stopped) {
        if (e.answer) { e.stopped = true; this._paint(el, e); this._paintExtras(el, e); } else el.remove();
      } else {
        el.remove();
        this._error(fail || { message: T.errNet }, text);
      }
    }

    _error(fail, text) {
      var self = this;
      var msg = h('p', null, fail.message + (fail.wait ? T.wait(fail.wait) : ''));
      var btn = h('button', {
        class: 'btn', type: 'button',
        onclick: function () { box.remove(); self.$input.focus(); self._ask(text, false); }
      }, icon(I.retry), T.retry);
      var box = h('div', { class: 'msg bot err' }, h('div', { class: 'bubble', role: 'alert' }, msg, btn));
      if (fail.wait) {
        btn.disabled = true;
        setTimeout(function () { btn.disabled = false; }, fail.wait * 1000);
      }
      this.$log.appendChild(box);
      this.$log.scrollTop = this.$log.scrollHeight;
    }

    // ----- "Borrar mis datos"
    _confirm(show) {
      this.$confirm.hidden = !show;
      this.$cfMsg.textContent = T.confirmQ;
      this.$yes.disabled = false;
      if (show) this.$cancel.focus(); else this.$forgetBtn.focus();
    }

    async _forget() {
      this.$yes.disabled = true;
      if (this.sid) {
        try {
          var res = await fetch(this.api + '/v1/sessions/' + encodeURIComponent(this.sid), { method: 'DELETE' });
          if (!res.ok && res.status !== 404) throw await readError(res);
        } catch (err) {
          this.$cfMsg.textContent = (err && err.message && !(err instanceof TypeError)) ? err.message : T.errNet;
          this.$yes.disabled = false;
          return;
        }
      }
      if (this.ctrl) { this._stopped = true; this.ctrl.abort(); }
      this.sid = null;
      this.items = [];
      try {
        for (var i = localStorage.length - 1; i >= 0; i--) {
          var k = localStorage.key(i);
          if (k && k.indexOf(this._key) === 0) localStorage.removeItem(k);
        }
      } catch (e) { /* sin almacenamiento */ }
      this.$confirm.hidden = true;
      this._renderAll();
      this._note(T.forgotten);
      this.$input.focus();
    }
  }

  MipymeChat.createSSEParser = createSSEParser;
  MipymeChat.formatAnswer = formatAnswer;
  customElements.define(TAG, MipymeChat);

  // ---------------------------------------------------------------- montaje con una etiqueta
  function mount() {
    var ds = (SCRIPT && SCRIPT.dataset) || {};
    if (ds.mount === 'false' || document.querySelector(TAG)) return;
    var el = document.createElement(TAG);
    var map = { api: 'api', title: 'heading', position: 'position', launcherLabel: 'launcher-label', greeting: 'greeting' };
    for (var k in map) if (ds[k]) el.setAttribute(map[k], ds[k]);
    if (ds.primary) el.style.setProperty('--mipyme-primary', ds.primary);
    if (ds.open === 'true' || ds.open === '') el.setAttribute('open', '');
    document.body.appendChild(el);
  }
  if (SCRIPT) {
    if (document.body) mount(); else document.addEventListener('DOMContentLoaded', mount);
  }
})();
