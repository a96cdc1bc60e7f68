"use strict";
// The sandbox's web flow. Everything from a session is put in the page as text nodes or
// attribute values (never parsed as markup), and every call is a same-origin `fetch` to the
// user-side routes, with the token in an `Authorization` header.
(() => {
  const el = (id) => document.getElementById(id);
  const framed = window.parent !== window;
  // The page is `{base}/web/index.html`: the API is one level up.
  const apiBase = new URL("../", window.location.href);

  const ERRORS = {
    2000: "The session token is not valid, or it has expired.",
    2001: "There is no session with this ID.",
    2002: "The session has expired.",
    2003: "The page was opened without a session token.",
    2004: "The page was opened without a session ID.",
    3000: "The identity verification service is unavailable.",
    7000: "You do not have the documents this session requires.",
  };
  // The refusals that end the flow, by API error code, and the web flow's code for each.
  const FATAL = {
    MISSING_SESSION_TOKEN: 2003,
    SESSION_NOT_FOUND: 2001,
    INVALID_SESSION_TOKEN: 2000,
    SESSION_TOKEN_EXPIRED: 2000,
    SESSION_COMPLETED: 2000,
    SESSION_EXPIRED: 2002,
  };
  const TITLES = {
    ID_DOCUMENT: "Identity document",
    SUPPLEMENTARY_DOCUMENT: "Supporting document",
    LIVENESS: "Liveness",
    FACE_CAPTURE: "Face capture",
  };
  const OUTCOMES = [
    ["APPROVE", "Approve"],
    ["REJECT", "Reject"],
    ["NOT_AVAILABLE", "Not available"],
    ["CONSIDER", "Consider"],
  ];

  let session = null; // { id, token }
  let redirects = { success: null, error: null };
  let over = false; // SUCCESS or ERROR was given
  let busy = false;

  class FlowEnd extends Error {
    constructor(code) {
      super("error " + code);
      this.code = code;
    }
  }
  class Refused extends Error {
    constructor(message, details) {
      super(message);
      this.details = details;
    }
  }

  // An element; strings among `children` become text nodes.
  function node(tag, attrs, ...children) {
    const n = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === true) n.setAttribute(name, "");
      else if (value !== false && value !== null && value !== undefined) {
        n.setAttribute(name, String(value));
      }
    }
    n.append(...children.filter((c) => c !== null && c !== undefined));
    return n;
  }
  const strings = (value) => (Array.isArray(value) ? value.filter((v) => typeof v === "string") : []);
  // `ID_DOCUMENT_AUTHENTICITY` → `ID document authenticity`.
  const humanise = (text) => {
    const words = String(text)
      .toLowerCase()
      .split("_")
      .map((w) => (w === "id" ? "ID" : w))
      .join(" ");
    return words.charAt(0).toUpperCase() + words.slice(1);
  };

  function say(text) {
    el("status").textContent = text;
  }
  function showAlert(title, text, details) {
    el("alert-title").textContent = title;
    el("alert-text").textContent = text;
    el("alert-list").replaceChildren(...(details || []).map((d) => node("li", null, d)));
    el("alert").hidden = false;
    el("alert-title").focus();
  }
  function clearAlert() {
    el("alert").hidden = true;
  }

  // Events carry no secret, and the parent's origin is not known: any origin may listen.
  function tellParent(message) {
    if (framed) window.parent.postMessage(message, "*");
  }
  // Only http(s) URLs are followed (never `javascript:` and the like).
  function safeUrl(value) {
    if (typeof value !== "string" || value === "") return null;
    try {
      const url = new URL(value);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch {
      return null;
    }
  }
  function leave(url) {
    try {
      window.top.location.href = url;
    } catch {
      // The browser refused to navigate the page around this one: navigate this frame.
      window.location.href = url;
    }
  }

  function succeed() {
    if (over) return;
    over = true;
    el("flow").hidden = true;
    clearAlert();
    el("done-text").textContent = "Your verification was sent. You can close this page.";
    el("done").hidden = false;
    say("Finished.");
    el("done-title").focus();
    if (redirects.success) leave(redirects.success);
    else tellParent({ eventType: "SUCCESS" });
  }
  function fail(code) {
    if (over) return;
    over = true;
    el("flow").hidden = true;
    el("start").hidden = true;
    say("Stopped.");
    showAlert("The verification cannot go on", ERRORS[code] + " (error " + code + ")", []);
    if (redirects.error) leave(redirects.error);
    else tellParent({ eventType: "ERROR", eventCode: code });
  }

  // A user-side call. Throws FlowEnd for what ends the flow, Refused for what the user can fix.
  async function call(method, path, body) {
    const headers = { Authorization: "Bearer " + session.token };
    const init = { method, headers, cache: "no-store", credentials: "omit", redirect: "error" };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const url = new URL("user/sessions/" + encodeURIComponent(session.id) + path, apiBase);
    let response;
    try {
      response = await fetch(url, init);
    } catch {
      throw new FlowEnd(3000);
    }
    let json = null;
    try {
      json = await response.json();
    } catch {
      json = null;
    }
    if (json === null || typeof json !== "object") throw new FlowEnd(3000);
    if (response.ok) return json;
    const code = typeof json.code === "string" ? json.code : "";
    if (Object.hasOwn(FATAL, code)) throw new FlowEnd(FATAL[code]);
    if (response.status >= 500 || response.status === 429 || code === "") throw new FlowEnd(3000);
    const details = Array.isArray(json.errors)
      ? json.errors.map((e) => String((e && e.property) || "") + ": " + String((e && e.message) || ""))
      : [];
    throw new Refused(typeof json.message === "string" ? json.message : code, details);
  }

  // Runs one step of the flow; a second click while it runs is ignored.
  async function act(control, label, work) {
    if (over || busy) return;
    busy = true;
    control.setAttribute("aria-busy", "true");
    clearAlert();
    say(label);
    try {
      await work();
    } catch (error) {
      if (error instanceof FlowEnd) fail(error.code);
      else if (error instanceof Refused) {
        say("Not done.");
        showAlert("The sandbox refused this", error.message, error.details);
      } else {
        say("Not done.");
        showAlert("Something went wrong", String((error && error.message) || error), []);
      }
    } finally {
      busy = false;
      control.removeAttribute("aria-busy");
    }
  }

  function readUpload(file) {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => {
        const data = String(reader.result);
        resolve({
          content_type: file.type || "application/octet-stream",
          content: data.slice(data.indexOf(",") + 1),
        });
      };
      reader.onerror = () => reject(new Refused("This file could not be read: " + file.name, []));
      reader.readAsDataURL(file);
    });
  }
  const uploads = (input) => (input ? Promise.all(Array.from(input.files || []).map(readUpload)) : Promise.resolve([]));

  // A labelled control, with an optional hint read out with it.
  function field(id, label, control, hint) {
    control.id = id;
    const parts = [node("label", { for: id }, label)];
    if (hint) {
      parts.push(node("span", { class: "hint", id: id + "-hint" }, hint), node("br"));
      control.setAttribute("aria-describedby", id + "-hint");
    }
    return node("p", null, ...parts, control);
  }
  function choice(options, selected) {
    const select = node("select", null, ...options.map(([value, text]) => node("option", { value }, text)));
    if (options.some(([value]) => value === selected)) select.value = selected;
    return select;
  }
  function text(value) {
    return node("input", { value, autocomplete: "off", spellcheck: "false" });
  }
  function files(accept, multiple) {
    return node("input", { type: "file", accept, multiple });
  }

  function idDocumentForm(requirement, id) {
    const countries = (Array.isArray(requirement.supported_countries) ? requirement.supported_countries : []).filter(
      (c) => c && typeof c.code === "string",
    );
    let country;
    let docType;
    if (countries.length > 0) {
      country = choice(countries.map((c) => [c.code, c.code]), "GBR");
      docType = node("select");
      const fill = () => {
        const chosen = countries.find((c) => c.code === country.value);
        const docs = chosen && Array.isArray(chosen.supported_documents) ? chosen.supported_documents : [];
        const types = docs.filter((d) => d && typeof d.type === "string").map((d) => [d.type, humanise(d.type)]);
        docType.replaceChildren(...types.map(([value, label]) => node("option", { value }, label)));
      };
      country.addEventListener("change", fill);
      fill();
    } else {
      country = text("GBR");
      docType = text("PASSPORT");
    }
    const form = node(
      "form",
      { novalidate: true },
      field(id + "-country", "Issuing country", country),
      field(id + "-type", "Document type", docType),
    );
    let pages = null;
    if (requirement.allowed_capture_methods === "CAMERA") {
      form.append(node("p", { class: "hint" }, "Camera capture only: the sandbox generates the page images."));
    } else {
      pages = files("image/jpeg,image/png", true);
      form.append(field(id + "-pages", "Page images (JPEG or PNG)", pages, "Optional: without them, the sandbox generates the images."));
    }
    form.append(node("p", null, node("button", { type: "submit", id: id + "-add" }, "Add this document")));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      act(form, "Adding the document…", async () => {
        const body = { document_type: docType.value.trim(), issuing_country: country.value.trim() };
        const images = await uploads(pages);
        if (images.length > 0) body.pages = images;
        await call("POST", "/id-documents", body);
        await refresh("Document added.");
      });
    });
    return form;
  }

  function supplementaryForm(requirement, id) {
    const types = strings(requirement.document_types);
    const codes = strings(requirement.country_codes);
    const docType = types.length > 0 ? choice(types.map((t) => [t, humanise(t)])) : text("UTILITY_BILL");
    const country = codes.length > 0 ? choice(codes.map((c) => [c, c]), "GBR") : text("GBR");
    const chosen = files("image/jpeg,image/png,application/pdf", true);
    const form = node("form", { novalidate: true });
    const objective = requirement.objective && requirement.objective.type;
    if (typeof objective === "string") form.append(node("p", null, "Purpose: " + humanise(objective) + "."));
    form.append(
      field(id + "-type", "Document type", docType),
      field(id + "-country", "Issuing country", country),
      field(id + "-files", "Pages (JPEG or PNG) or one PDF", chosen, "Optional: without them, the sandbox generates a page."),
      node("p", null, node("button", { type: "submit", id: id + "-add" }, "Add this document")),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      act(form, "Adding the document…", async () => {
        const body = { document_type: docType.value.trim(), issuing_country: country.value.trim() };
        const all = await uploads(chosen);
        const pdfs = all.filter((u) => u.content_type === "application/pdf");
        if (pdfs.length > 1) throw new Refused("Choose one PDF at most.", []);
        if (pdfs.length === 1) body.file = pdfs[0];
        const images = all.filter((u) => u.content_type !== "application/pdf");
        if (images.length > 0) body.pages = images;
        await call("POST", "/supplementary-documents", body);
        await refresh("Document added.");
      });
    });
    return form;
  }

  function livenessForm(requirement, id) {
    const type = requirement.liveness_type;
    const zoom = type !== "STATIC";
    const chosen = files("image/jpeg,image/png", zoom);
    const form = node(
      "form",
      { novalidate: true },
      node("p", null, zoom ? "A face scan (ZOOM): a face map and video frames." : "A photo of your face (STATIC)."),
      field(
        id + "-media",
        zoom ? "Frames (JPEG or PNG)" : "Photo (JPEG or PNG)",
        chosen,
        "Optional: without them, the sandbox generates the capture.",
      ),
      node("p", null, node("button", { type: "submit", id: id + "-add" }, "Do the liveness check")),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      act(form, "Sending the liveness capture…", async () => {
        const body = {};
        if (type === "ZOOM" || type === "STATIC") body.liveness_type = type;
        const images = await uploads(chosen);
        if (images.length > 0 && zoom) body.frames = images;
        if (images.length > 0 && !zoom) body.image = images[0];
        await call("POST", "/liveness", body);
        await refresh("Liveness capture added.");
      });
    });
    return form;
  }

  function step(requirement, number) {
    const type = String(requirement.type || "");
    const id = "step-" + number;
    const heading = node("h2", { id: id + "-title", tabindex: -1 }, "Step " + number + ": " + (TITLES[type] || humanise(type)));
    let body;
    if (type === "ID_DOCUMENT") body = idDocumentForm(requirement, id);
    else if (type === "SUPPLEMENTARY_DOCUMENT") body = supplementaryForm(requirement, id);
    else if (type === "LIVENESS") body = livenessForm(requirement, id);
    else if (type === "FACE_CAPTURE") body = node("p", null, "The business uploads this image: nothing to do here.");
    else body = node("p", null, "This page cannot capture this.");
    body.classList.add("step-body");
    const done = node("p", { class: "step-done", hidden: true }, "Done.");
    return node(
      "section",
      { class: "card", "aria-labelledby": id + "-title", "data-requirement": String(requirement.id || "") },
      heading,
      body,
      done,
    );
  }

  function describe(requirement) {
    const type = String(requirement.type || "");
    if (type === "ID_DOCUMENT") {
      const countries = Array.isArray(requirement.supported_countries) ? requirement.supported_countries.length : 0;
      return "An identity document (" + countries + (countries === 1 ? " country" : " countries") + " accepted)";
    }
    if (type === "SUPPLEMENTARY_DOCUMENT") {
      const types = strings(requirement.document_types);
      return "A supporting document" + (types.length > 0 ? ": " + types.map(humanise).join(" or ") : "");
    }
    if (type === "LIVENESS") return "A liveness capture (" + String(requirement.liveness_type || "any") + ")";
    if (type === "FACE_CAPTURE") return "A face capture, uploaded by the business";
    return humanise(type);
  }

  // Marks the steps that are met, and says what is left.
  function update(status) {
    const requirements = Array.isArray(status.requirements) ? status.requirements : [];
    const met = new Set(requirements.filter((r) => r && r.resource_id).map((r) => r.id));
    let next = null;
    for (const section of el("steps").children) {
      const done = met.has(section.getAttribute("data-requirement"));
      section.classList.toggle("done", done);
      section.querySelector(".step-body").hidden = done;
      section.querySelector(".step-done").hidden = !done;
      if (!done && !next && section.querySelector("form")) next = section.querySelector("h2");
    }
    const left = requirements.filter((r) => r && r.needed_to_finish && !r.resource_id).length;
    return { next: next || el("finish-title"), left };
  }

  async function refresh(message) {
    const { next, left } = update(await call("GET", ""));
    say(message + " " + (left === 0 ? "You can finish now." : left + (left === 1 ? " step" : " steps") + " left."));
    next.focus();
  }

  function render(config, status) {
    const capture = config.capture && typeof config.capture === "object" ? config.capture : {};
    const required = (Array.isArray(capture.required_resources) ? capture.required_resources : []).filter(
      (r) => r && typeof r === "object",
    );
    const checks = [...new Set(strings(config.requested_checks))];
    el("needs").replaceChildren(...required.map((r) => node("li", null, describe(r))));
    if (required.length === 0) el("needs").append(node("li", null, "Nothing to capture."));
    el("checks").textContent =
      checks.length > 0 ? "Checks: " + checks.map(humanise).join(", ") + "." : "No checks were requested.";
    el("steps").replaceChildren(...required.map((r, i) => step(r, i + 1)));
    el("outcome-list").replaceChildren(
      ...checks.map((check, i) => {
        const select = choice(OUTCOMES, "APPROVE");
        select.setAttribute("data-check", check);
        return field("outcome-" + i, humanise(check), select);
      }),
    );
    el("outcomes").hidden = checks.length === 0;
    el("flow").hidden = false;
    const { next, left } = update(status);
    say("Session loaded. " + (left === 0 ? "You can finish now." : left + (left === 1 ? " step" : " steps") + " to do."));
    next.focus();
  }

  async function start(id, token) {
    if (session || over) return;
    if (!id) return fail(2004);
    if (!token) return fail(2003);
    session = { id, token };
    el("start").hidden = true;
    await act(el("main"), "Loading the session…", async () => {
      const status = await call("GET", "");
      redirects = { success: safeUrl(status.success_url), error: safeUrl(status.error_url) };
      render(await call("GET", "/configuration"), status);
    });
  }

  el("finish-form").addEventListener("submit", (event) => {
    event.preventDefault();
    act(el("finish-form"), "Finishing…", async () => {
      const recommendations = {};
      for (const select of el("outcome-list").querySelectorAll("select")) {
        recommendations[select.getAttribute("data-check")] = select.value;
      }
      // Accepted is done for the user: the session may stay ONGOING a while (a response
      // config can delay reports), but the user's part is over and the token is spent.
      await call("POST", "/finish", Object.keys(recommendations).length > 0 ? { recommendations } : {});
      succeed();
    });
  });
  el("no-documents").addEventListener("click", () => fail(7000));
  el("start").addEventListener("submit", (event) => {
    event.preventDefault();
    start(el("start-id").value.trim(), el("start-token").value.trim());
  });
  // `INIT_SESSION` from the page around this one, once, when the URL had no session.
  window.addEventListener("message", (event) => {
    if (!framed || event.source !== window.parent || session || over) return;
    const data = event.data;
    if (!data || typeof data !== "object" || data.eventType !== "INIT_SESSION") return;
    const id = typeof data.sessionID === "string" ? data.sessionID : "";
    const token = typeof data.sessionToken === "string" ? data.sessionToken : "";
    start(id, token);
  });

  const query = new URLSearchParams(window.location.search);
  const id = query.get("sessionID") || "";
  const token = query.get("sessionToken") || "";
  if (id || token) {
    start(id, token);
  } else {
    el("start").hidden = false;
    say(framed ? "Waiting for a session from the page around this one." : "Enter a session to begin.");
    tellParent({ eventType: "STARTED" });
  }
})();
