// Rapport segment editor: checks the rule as it is typed. A moment after
// the last keystroke it posts the expression (with the form's CSRF token)
// to the form's data-preview URL and shows, under the text area, how many
// profiles it matches or why it does not compile (line, column, the line
// with a caret). Without this file the form's Check button does the same
// with a round trip.
(function () {
  "use strict";
  var form = document.querySelector("form[data-preview]");
  if (!form || !window.fetch || !window.AbortController) {
    return;
  }
  var field = form.querySelector("#expression");
  var out = document.getElementById("expression-check");
  var token = form.querySelector('input[name="csrf"]');
  if (!field || !out || !token) {
    return;
  }
  var timer = null;
  var pending = null;
  var delay = 400;

  function para(text, strong) {
    var p = document.createElement("p");
    p.className = "check-message";
    if (strong === undefined) {
      p.textContent = text;
      return p;
    }
    var parts = text.split("{n}");
    var b = document.createElement("strong");
    b.textContent = String(strong);
    p.append(parts[0], b, parts[1] || "");
    return p;
  }

  // show replaces the message; state is "ok", "error" or "" (neutral).
  function show(state, nodes) {
    out.className = "check" + (state ? " " + state : "");
    out.replaceChildren.apply(out, nodes);
    if (state === "error") {
      field.setAttribute("aria-invalid", "true");
    } else {
      field.removeAttribute("aria-invalid");
    }
  }

  function answer(a) {
    if (a.valid) {
      var text = a.exact ? "Matches {n} of " + a.scanned + " profiles." :
        "About {n} profiles: " + a.matched + " of a sample of " + a.scanned + ".";
      show("ok", [para(text, a.exact ? a.matched : a.estimate)]);
      return;
    }
    var p = a.problem;
    if (!p) {
      show(field.value.trim() === "" ? "" : "error", [para(a.error || "The rule was refused.")]);
      return;
    }
    var nodes = [para((p.line ? "Line " + p.line + ", column " + p.column + ": " : "") + p.message)];
    if (p.snippet) {
      var pre = document.createElement("pre");
      pre.className = "snippet";
      pre.textContent = p.snippet;
      nodes.push(pre);
    }
    show("error", nodes);
  }

  function check() {
    if (pending) {
      pending.abort();
    }
    var ctl = new AbortController();
    pending = ctl;
    var body = new URLSearchParams();
    body.set("csrf", token.value);
    body.set("expression", field.value);
    out.setAttribute("aria-busy", "true");
    fetch(form.getAttribute("data-preview"), {
      method: "POST", body: body, credentials: "same-origin", signal: ctl.signal,
      headers: { "Accept": "application/json" }
    }).then(function (r) {
      var type = r.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") !== 0) {
        // Signed out meanwhile: the answer is the sign-in page.
        throw new Error("not JSON");
      }
      return r.json();
    }).then(function (a) {
      if (a.error && a.valid === undefined) {
        show("", [para(a.error)]);
        return;
      }
      answer(a);
    }).catch(function (e) {
      if (e.name !== "AbortError") {
        show("", [para("The rule could not be checked just now: use the Check button, or reload the page.")]);
      }
    }).finally(function () {
      if (pending === ctl) {
        pending = null;
        out.removeAttribute("aria-busy");
      }
    });
  }

  field.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(check, delay);
  });
  // An existing rule is counted as soon as the editor opens.
  if (field.value.trim() !== "" && out.textContent.trim() === "") {
    check();
  }
})();
