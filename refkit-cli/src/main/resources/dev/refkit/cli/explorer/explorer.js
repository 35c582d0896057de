// refkit explorer: one page, views chosen by the URL's fragment, data fetched a page at a time from /api/.
// Every string of the dump reaches the page through text nodes (el(...) and textContent), never as markup.
"use strict";

const token = new URLSearchParams(location.search).get("token") || "";
const view = document.getElementById("view");

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (key === "onclick") node.addEventListener("click", value);
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Replaces the parent's children with the nodes given, skipping absent ones (the DOM would write "null"). */
function show(parent, ...nodes) {
  parent.replaceChildren(...nodes.filter(node => node !== null && node !== undefined));
}

async function api(route, params) {
  const query = new URLSearchParams(params || {}).toString();
  const response = await fetch("/api/" + route + (query ? "?" + query : ""), { headers: { "X-Refkit-Token": token } });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

const count = n => Number(n).toLocaleString("en-US");
function bytes(n) {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = Number(n), unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return (unit === 0 ? value : value.toFixed(1)) + " " + units[unit];
}
const percent = (part, whole) => whole > 0 ? (100 * part / whole).toFixed(1) + "%" : "-";

let reachableBytes = 0;

function objectLink(ref) {
  return el("a", { href: "#object/" + ref.id, class: "id", "data-id": ref.id }, ref.id);
}

function refCells(ref) {
  return [el("td", { class: "n" }, bytes(ref.retained)), el("td", { class: "n" }, percent(ref.retained, reachableBytes)),
    el("td", { class: "n" }, bytes(ref.shallow)), el("td", {}, objectLink(ref), " ", el("span", { class: "cls" }, ref.type))];
}

function section(title, ...children) {
  return el("section", {}, el("h2", {}, title), ...children);
}

function table(headers, rows) {
  return el("table", {}, el("tr", {}, ...headers.map(h => el("th", {}, h))), ...rows);
}

// ---- views ----

async function overview() {
  const o = await api("overview");
  reachableBytes = o.dump.reachableBytes;
  document.getElementById("file").textContent = o.dump.file;
  document.getElementById("nav-diff").hidden = !o.dump.growth;
  const census = table(["reachability", "objects", "shallow bytes"], o.census.rows.map(r =>
    el("tr", {}, el("td", {}, r.reachability), el("td", { class: "n" }, count(r.objects)), el("td", { class: "n" }, bytes(r.bytes)))));
  const classes = table(["retained", "share", "shallow", "instances", "class"], o.topClasses.map(c =>
    el("tr", {}, el("td", { class: "n" }, bytes(c.retained)), el("td", { class: "n" }, percent(c.retained, reachableBytes)),
      el("td", { class: "n" }, bytes(c.shallow)), el("td", { class: "n" }, count(c.instances)),
      el("td", {}, el("a", { href: "#instances/" + encodeURIComponent(c.class), class: "cls" }, c.class)))));
  const retainers = table(["retained", "share", "shallow", "object"], o.topRetainers.map(r => el("tr", {}, ...refCells(r))));
  const suspects = o.suspects.length === 0 ? el("p", {}, "None found.") : el("div", {}, ...o.suspects.map((s, i) =>
    el("div", { class: "suspect", id: "suspect-" + (i + 1) },
      el("div", {}, el("span", { class: "kind" }, (i + 1) + ". " + s.kind.toLowerCase().replaceAll("_", " ")), " ",
        el("span", { class: "size" }, bytes(s.retained) + " · " + (100 * s.share).toFixed(1) + "%")),
      el("p", {}, s.summary),
      el("div", {}, "owner: ", el("code", {}, s.owner), " ", el("span", { class: "note" }, "(" + s.context + ")")),
      el("div", {}, "container: ", el("a", { href: "#object/" + s.container.id, class: "container-link" }, s.container.id), " ",
        s.container.description),
      el("div", {}, "accumulates: ", ...s.accumulated.map(a => el("span", {}, count(a.count) + " × ",
        el("span", { class: "cls" }, a.class), a.via ? " via " + a.via : "", "; "))),
      pathList(s.path),
      el("div", { class: "note" }, "hint: " + s.hint + " · fingerprint " + s.fingerprint))));
  show(view, section("Heap", el("p", {}, count(o.dump.objects) + " objects, " + count(o.dump.classes) + " classes, "
      + count(o.dump.gcRoots) + " GC roots; " + bytes(o.dump.heapBytes) + " shallow, " + bytes(o.dump.reachableBytes)
      + " strongly reachable")),
    section("Leak suspects", suspects), section("Reachability", el("p", {}, o.census.summary), census),
    section("Top retainers", retainers), section("Top classes by retained size", classes));
}

function pathList(path) {
  return el("ol", { class: "path" }, ...path.map(step => el("li", { class: step.role || "" },
    el("code", {}, step.reference), " → ", el("a", { href: "#object/" + step.id, class: "cls step-link" }, step.type),
    step.role === "owner" || step.role === "container" ? el("span", { class: "tag" }, step.role) : null)));
}

async function dominators(of) {
  const top = el("ul", { class: "tree top", id: "dominator-tree" });
  show(view, section(of === "root" ? "Dominator tree: the top-level objects" : "Dominator tree below " + of,
    el("p", { class: "note" }, "Each object retains what only it keeps alive; expand to see what it dominates."), top));
  await loadChildren(of, top, 0);
}

async function loadChildren(of, list, offset) {
  const page = await api("dominators", { of, offset, limit: 50 });
  reachableBytes = page.reachableBytes;
  for (const row of page.rows) {
    const children = el("ul", { class: "tree" });
    const button = el("button", { class: "expand", title: "expand", onclick: async () => {
      if (button.textContent === "+") {
        button.textContent = "−";
        await loadChildren(row.id, children, 0);
      } else {
        button.textContent = "+";
        show(children);
      }
    } }, "+");
    const bar = el("span", { class: "bar" });
    bar.style.width = Math.max(2, Math.round(120 * row.retained / Math.max(1, reachableBytes))) + "px";
    list.append(el("li", { class: "dominator", "data-id": row.id }, button, bar, bytes(row.retained) + " ",
      el("span", { class: "note" }, percent(row.retained, reachableBytes) + " "), objectLink(row), " ",
      el("span", { class: "cls" }, row.type)), children);
  }
  const shown = page.offset + page.rows.length;
  if (shown < page.children) {
    const more = el("li", {}, el("button", { onclick: async () => { more.remove(); await loadChildren(of, list, shown); } },
      "show 50 more of " + count(page.children - shown)), " ",
      el("span", { class: "note" }, page.rest.map(r => count(r.count) + " × " + r.class + " (" + bytes(r.retained) + ")").join(", ")));
    list.append(more);
  }
}

async function histogram(params) {
  const filter = el("input", { id: "filter", placeholder: "filter: a name or a regular expression", value: params.filter || "", size: 40 });
  const sort = el("select", { id: "sort" }, ...["retained", "shallow", "count"].map(s => el("option", { value: s }, "sort by " + s)));
  const group = el("select", { id: "group" }, ...["class", "package", "loader"].map(g => el("option", { value: g }, "group by " + g)));
  sort.value = params.sort || "retained";
  group.value = params.group || "class";
  const body = el("div", {});
  const reload = async () => {
    const page = await api("histogram", { filter: filter.value, sort: sort.value, group: group.value, limit: 200 });
    show(body, el("p", { class: "note" }, count(page.total) + " rows"), table(["instances", "shallow", "retained", group.value],
      page.rows.map(r => el("tr", {}, el("td", { class: "n" }, count(r.instances)), el("td", { class: "n" }, bytes(r.shallow)),
        el("td", { class: "n" }, bytes(r.retained)), el("td", {}, group.value === "class"
          ? el("a", { href: "#instances/" + encodeURIComponent(r.name), class: "cls" }, r.name) : el("span", { class: "cls" }, r.name))))));
  };
  filter.addEventListener("change", reload);
  sort.addEventListener("change", reload);
  group.addEventListener("change", reload);
  show(view, section("Histogram", el("div", {}, filter, sort, group), body));
  await reload();
}

async function instances(className, offset) {
  const page = await api("instances", { class: className, offset: offset || 0, limit: 100 });
  const next = page.offset + page.rows.length < page.total
    ? el("a", { href: "#instances/" + encodeURIComponent(className) + "/" + (page.offset + 100) }, "next 100") : null;
  show(view, section("Instances of " + page.class, el("p", { class: "note" }, count(page.total)
      + " instances, most retained first; " + (page.offset + 1) + " to " + (page.offset + page.rows.length)),
    table(["retained", "share", "shallow", "object"], page.rows.map(r => el("tr", {}, ...refCells(r)))), next));
}

async function object(id) {
  const o = await api("object", { id });
  const fields = table(["field", "value"], o.fields.map(f => el("tr", {}, el("td", {}, el("code", {}, f.name)),
    el("td", {}, f.ref ? el("span", {}, el("a", { href: "#object/" + f.ref, class: "field-link" }, f.ref), " ",
      el("span", { class: "cls" }, f.type), f.text !== null && f.text !== undefined ? el("span", {}, " ", el("code", {}, JSON.stringify(f.text))) : null)
      : el("code", {}, f.value)))));
  const refs = el("div", { id: "refs" });
  const paths = el("div", { id: "paths" });
  const tabs = el("div", { class: "tabs" },
    el("button", { id: "refs-out", onclick: () => references(o.id, "out", 0, refs) }, "outgoing (" + count(o.outgoing) + ")"), " ",
    el("button", { id: "refs-in", onclick: () => references(o.id, "in", 0, refs) }, "incoming (" + count(o.incoming) + ")"));
  const weak = el("input", { type: "checkbox", id: "include-weak" });
  weak.addEventListener("change", () => showPaths(o.id, weak.checked, paths));
  show(view, 
    section(o.type + " " + o.id, table(["shallow", "retained", "reachability", "class"], [el("tr", {},
      el("td", { class: "n" }, bytes(o.shallow)), el("td", { class: "n" }, bytes(o.retained)), el("td", {}, o.reachability),
      el("td", {}, o.classObject ? el("a", { href: "#object/" + o.classObject }, "class object " + o.classObject) : "-"))]),
      o.text !== null && o.text !== undefined ? el("p", {}, "text: ", el("code", {}, JSON.stringify(o.text))) : null,
      o.length >= 0 ? el("p", {}, "array of " + count(o.length) + (o.preview ? ": " : ""), o.preview ? el("code", {}, o.preview) : null) : null),
    o.fields.length ? section("Fields", fields) : null,
    section("References", tabs, refs),
    section("Why alive: the shortest path from a GC root", el("label", {}, weak, " include soft, weak, finalizer and phantom references"), paths),
    section("Dominators (what must go for this object to go)", o.dominators.length === 0 ? el("p", {}, "only the GC roots together")
      : table(["retained", "share", "shallow", "object"], o.dominators.map(d => el("tr", {}, ...refCells(d))))));
  await references(o.id, "in", 0, refs);
  await showPaths(o.id, false, paths);
}

async function references(id, dir, offset, into) {
  const page = await api("refs", { id, dir, offset, limit: 100 });
  const rows = page.rows.map(r => el("tr", { class: "ref-row" }, el("td", {}, el("code", {}, r.name)),
    el("td", {}, r.strength && r.strength !== "strong" ? r.strength : ""), ...refCells(r.object)));
  const next = page.offset + page.rows.length < page.total
    ? el("button", { onclick: () => references(id, dir, page.offset + 100, into) }, "next 100 of " + count(page.total)) : null;
  show(into, el("p", { class: "note" }, (dir === "out" ? "references from " : "references to ") + id + ": "
      + count(page.total)), table(["reference", "", "retained", "share", "shallow", "object"], rows), next);
}

async function showPaths(id, weak, into) {
  const path = await api("paths", { id, weak: weak ? "true" : "false" });
  if (path.reached === 0) {
    show(into, el("p", {}, weak ? "No path from a GC root at all: garbage." : "No strong path: not strongly reachable; include the other references."));
    return;
  }
  // the shortest path, the GC root first; the server folds a chain of one reference into one step with its run
  show(into, el("ol", { class: "path path-tree" }, ...path.steps.map((step, i) => el("li", {},
    el("code", {}, step.reference), " → ", el("a", { href: "#object/" + step.id, class: "cls" }, step.type),
    step.strength && step.strength !== "strong" ? " (" + step.strength + ")" : "",
    step.run > 1 ? " (×" + count(step.run) + " in a chain)" : "", i === path.steps.length - 1 ? " ◀" : ""))));
}

async function threads() {
  const t = await api("threads");
  show(view, section("Threads", ...t.threads.map(thread => el("div", { class: "suspect" },
    el("h3", {}, (thread.name === null ? "(unnamed)" : thread.name) + " "), el("p", {}, objectLink(thread), " retains " + bytes(thread.retained)),
    table(["depth", "frame", "locals"], thread.frames.map(f => el("tr", {}, el("td", { class: "n" }, f.depth), el("td", {}, el("code", {}, f.frame)),
      el("td", {}, ...f.locals.map(l => el("div", {}, objectLink(l), " ", el("span", { class: "cls" }, l.type), " " + bytes(l.retained)))))))))));
}

async function diff() {
  const d = await api("diff");
  if (d.growing === null) {
    show(view, section("Diff", el("p", {}, "Start refkit serve with two or more dumps, oldest first, to see what grew.")));
    return;
  }
  show(view, section("Growing paths across " + d.dumps + " dumps", d.growing.length === 0 ? el("p", {}, "Nothing grew at every step.")
    : el("div", {}, ...d.growing.map((p, i) => el("div", { class: "suspect" },
      el("div", {}, el("span", { class: "kind" }, (i + 1) + ". " + p.owner), " ", el("span", { class: "size" }, "+" + bytes(p.bytesPerStep) + " per step")),
      el("p", {}, count(p.counts[p.counts.length - 1]) + " × ", el("span", { class: "cls" }, p.elementClass), " in " + p.container
        + (p.via ? " via " + p.via : "") + ": " + p.counts.map(count).join(" → ")),
      el("pre", {}, p.path.join("\n")), el("div", { class: "note" }, "fingerprint " + p.fingerprint))))));
}

// ---- routing ----

async function route() {
  const [name, ...rest] = (location.hash.slice(1) || "overview").split("/");
  for (const link of document.querySelectorAll("nav a")) link.classList.toggle("active", link.id === "nav-" + name);
  try {
    if (reachableBytes === 0 && name !== "overview") {
      const o = await api("overview");
      reachableBytes = o.dump.reachableBytes;
      document.getElementById("file").textContent = o.dump.file;
      document.getElementById("nav-diff").hidden = !o.dump.growth;
    }
    switch (name) {
      case "dominators": await dominators(rest[0] || "root"); break;
      case "histogram": await histogram({}); break;
      case "instances": await instances(decodeURIComponent(rest[0] || ""), Number(rest[1] || 0)); break;
      case "object": await object(rest[0]); break;
      case "threads": await threads(); break;
      case "diff": await diff(); break;
      default: await overview();
    }
    view.setAttribute("data-loaded", location.hash || "#overview");
  } catch (error) {
    show(view, el("p", { class: "error" }, "refkit: " + error.message));
    view.setAttribute("data-loaded", "error");
  }
}

window.addEventListener("hashchange", route);
route();
