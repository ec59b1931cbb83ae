#!/usr/bin/env python3
"""Writes the bad-playbook corpus: cases/NNN-slug.json and manifest.tsv.

Every case is a playbook that `rigger play` must refuse with exit code 2, naming the JSON pointer
of the mistake (manifest column 2; empty when the mistake is the whole document) before any host
is contacted. Files whose names start with "_" are imported by cases and are not cases themselves.

Run it from anywhere: python3 generate.py  (it rewrites cases/ and manifest.tsv next to itself)
"""
import copy
import json
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
CASES = os.path.join(HERE, "cases")

HOSTILE = [
    "../../../etc/passwd",
    "a\nb",
    "line1\r\nline2",
    "$(touch /tmp/rigger-pwned)",
    "`id`",
    "; rm -rf / #",
    "a && b || c",
    "x | nc evil 1",
    "\u001b[31mred\u001b[0m",
    "tab\there",
    "nul\u0000byte",
    "'quoted\"",
    "{{ }}",
    "~0~1/",
    "\u202eevil",
]


def base():
    return {
        "name": "corpus",
        "plays": [{
            "name": "p",
            "hosts": "all",
            "tasks": [{"name": "t", "module": "command", "args": {"argv": ["true"]}}],
        }],
    }


def with_task(task):
    b = base()
    b["plays"][0]["tasks"] = [task]
    return b


def setting(path, value):
    """base() with the value at path (a list of keys and indexes) set; a None path sets the root."""
    b = base()
    node = b
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return b


def without(path):
    b = base()
    node = b
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return b


cases = []


def case(slug, doc, pointer, what):
    """doc: a JSON value (dumped) or str/bytes (written as is)."""
    cases.append((slug, doc, pointer, what))


def ptr(path):
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


# --- broken JSON ---------------------------------------------------------------------------------
VALID = json.dumps(base(), indent=2)
case("empty-file", "", "", "an empty file")
case("only-whitespace", "   \n\t\n", "", "only whitespace")
case("open-brace", "{", "", "just an opening brace")
case("open-bracket", "[", "", "just an opening bracket")
case("unterminated-string", '{"name": "x', "/name", "a string that never ends")
case("trailing-comma-object", '{"name": "x", "plays": [],}', "", "a comma before }")
case("trailing-comma-array", '{"name": "x", "plays": [1, 2,]}', "/plays", "a comma before ]")
case("single-quotes", "{'name': 'x'}", "", "single-quoted names")
case("line-comment", '{\n// a comment\n"name": "x"}', "", "a // comment")
case("block-comment", '{/* c */ "name": "x"}', "", "a /* */ comment")
case("nan", '{"name": "x", "plays": [{"forks": NaN}]}', "/plays/0/forks", "NaN")
case("infinity", '{"name": "x", "plays": [{"forks": Infinity}]}', "/plays/0/forks", "Infinity")
case("leading-zero", '{"name": "x", "plays": [{"forks": 012}]}', "/plays/0/forks", "a number with a leading zero")
case("missing-colon", '{"name" "x"}', "/name", "a name without a colon")
case("missing-comma", '{"name": "x" "plays": []}', "/name", "two members without a comma")
case("two-documents", '{"name": "x"} {"name": "y"}', "", "two JSON values in one file")
case("garbage-after", VALID + "\ngarbage", "", "text after the playbook")
case("bad-escape", '{"name": "a\\xb"}', "/name", "an escape JSON does not have")
case("raw-newline-in-string", '{"name": "a\nb"}', "/name", "a raw newline inside a string")
case("raw-tab-in-string", '{"name": "a\tb"}', "/name", "a raw tab inside a string")
case("unquoted-name", '{name: "x"}', "", "an unquoted property name")
case("unquoted-value", '{"name": x}', "/name", "an unquoted value")
case("true-typo", '{"name": "x", "plays": [{"tasks": [{"ignoreErrors": ture}]}]}',
     "/plays/0/tasks/0/ignoreErrors", "ture for true")
case("duplicate-root-key", '{"name": "x", "name": "y", "plays": []}', "/name", "the same property twice at the root")
case("duplicate-task-key",
     '{"name": "x", "plays": [{"name": "p", "hosts": "all", "tasks": [{"name": "t", "module": "facts", "module": "disk"}]}]}',
     "/plays/0/tasks/0/module", "the same property twice in a task")
case("duplicate-args-key",
     '{"name": "x", "plays": [{"name": "p", "hosts": "all", "tasks": [{"name": "t", "module": "command",'
     ' "args": {"argv": ["a"], "argv": ["b"]}}]}]}', "/plays/0/tasks/0/args/argv", "the same argument twice")
case("unclosed-array", '{"name": "x", "plays": [{"name": "p"}', "/plays", "an array that never closes")
case("extra-close", VALID + "}", "", "one brace too many")
case("utf8-bom-garbage", "\ufeff\ufeff{}", "", "two byte-order marks")
case("lone-surrogate-escape", '{"name": "x", "plays": [], "vars": {"a": "\\ud800'
     , "/vars/a", "an unterminated string after a lone surrogate escape")
case("invalid-utf8", b'{"name": "\xff\xfe", "plays": []}', "", "bytes that are not UTF-8")
case("nul-byte", b'{"name": "x"\x00, "plays": []}', "", "a NUL byte between tokens")
for cut in (10, 40, 80, 120, len(VALID) - 1):
    case("truncated-at-%d" % cut, VALID[:cut], None, "the valid playbook cut after %d characters" % cut)
case("deep-nesting", '{"name": "x", "plays": [], "vars": {"a": ' + "[" * 1200 + "]" * 1200 + "}}",
     "/vars/a", "arrays nested 1200 deep")
case("huge-number-literal", '{"name": "x", "plays": [{"forks": ' + "9" * 1500 + "}]}",
     "/plays/0/forks", "a number with 1500 digits")

# --- wrong types at every level ------------------------------------------------------------------
case("root-array", [], "", "the document is a list")
case("root-string", '"playbook"', "", "the document is a string")
case("root-number", "42", "", "the document is a number")
case("root-null", "null", "", "the document is null")
case("root-empty-object", {}, "", "no name, no plays")
case("missing-name", without(["name"]), "", "no playbook name")
case("missing-plays", without(["plays"]), "", "no plays")
for v, label in ((1, "number"), (None, "null"), ([], "list"), ({}, "object"), ("", "empty")):
    case("name-" + label, setting(["name"], v), "/name", "playbook name is " + label)
for v, label in (({}, "object"), ([], "empty-list"), ("p", "string"), (None, "null")):
    case("plays-" + label, setting(["plays"], v), "/plays", "plays is " + label)
for v, label in (("p", "string"), (1, "number"), (None, "null"), ([], "list")):
    case("play-" + label, setting(["plays", 0], v), "/plays/0", "a play is " + label)
for key in ("name", "hosts", "tasks"):
    case("play-missing-" + key, without(["plays", 0, key]), "/plays/0", "a play without " + key)
for key, values in {
    "name": ((1, "number"), ("", "empty")),
    "hosts": (("", "empty"), (1, "number"), (["all"], "list")),
    "strategy": (("fast", "unknown"), (1, "number")),
    "forks": ((0, "zero"), (-1, "negative"), ("5", "string"), (1.5, "fraction"), (True, "boolean")),
    "maxFailPercent": ((101, "over-100"), (-1, "negative"), ("x", "string")),
    "vars": (([], "list"), ("x", "string")),
    "tasks": (([], "empty"), ({}, "object"), ("x", "string")),
}.items():
    for v, label in values:
        case("play-%s-%s" % (key, label), setting(["plays", 0, key], v), "/plays/0/" + key,
             "play %s is %s" % (key, label))
for v, label in (("t", "string"), (1, "number"), ([], "list"), (None, "null")):
    case("task-" + label, setting(["plays", 0, "tasks", 0], v), "/plays/0/tasks/0", "a task is " + label)
case("task-missing-name", without(["plays", 0, "tasks", 0, "name"]), "/plays/0/tasks/0", "a task without name")
case("task-missing-module", without(["plays", 0, "tasks", 0, "module"]), "/plays/0/tasks/0", "a task without module")
T = ["plays", 0, "tasks", 0]
for key, values in {
    "name": ((1, "number"), ("", "empty")),
    "module": ((1, "number"), (None, "null")),
    "args": (([], "list"), ("argv", "string"), (1, "number")),
    "when": ((1, "number"), ("", "empty"), (True, "boolean")),
    "register": (("1x", "leading-digit"), ("a-b", "dash"), ("", "empty"), (1, "number")),
    "loop": ((5, "number"), ("a,b", "plain-string"), ({}, "object")),
    "retries": ((-1, "negative"), ("3", "string"), (1.5, "fraction")),
    "delaySec": ((-1, "negative"), ("x", "string")),
    "timeoutSec": ((0, "zero"), (1.5, "fraction"), ("60", "string")),
    "ignoreErrors": (("yes", "string"), (1, "number")),
    "tags": (("x", "string"), ([1], "number-item"), ([""], "empty-item"), (["a", "a"], "duplicate")),
}.items():
    for v, label in values:
        pointer = ptr(T + [key])
        if label in ("number-item", "empty-item"):
            pointer += "/0"
        case("task-%s-%s" % (key, label), setting(T + [key], v), pointer, "task %s is %s" % (key, label))
for level, path in (("root", []), ("play", ["plays", 0]), ("task", T)):
    b = base()
    node = b
    for k in path:
        node = node[k]
    node["colour"] = "blue"
    case("unknown-property-" + level, b, ptr(path + ["colour"]), "an unknown property in the " + level)
case("vars-key-leading-digit", setting(["vars"], {"1a": 1}), "/vars/1a", "a var name starting with a digit")
case("vars-key-dash", setting(["vars"], {"a-b": 1}), "/vars/a-b", "a var name with a dash")
case("vars-key-empty", setting(["vars"], {"": 1}), "/vars/", "an empty var name")
case("vars-key-space", setting(["vars"], {"a b": 1}), "/vars/a b", "a var name with a space")
case("play-vars-key-dot", setting(["plays", 0, "vars"], {"a.b": 1}), "/plays/0/vars/a.b", "a play var with a dot")
case("vars-reserved-facts", setting(["vars"], {"facts": {}}), "/vars/facts", "a var called facts")
case("play-vars-reserved-item", setting(["plays", 0, "vars"], {"item": 1}), "/plays/0/vars/item", "a play var called item")
case("register-reserved-hostvars", setting(T + ["register"], "hostvars"), ptr(T + ["register"]), "register hostvars")
case("register-reserved-groups", setting(T + ["register"], "groups"), ptr(T + ["register"]), "register groups")

# inventory in the playbook
H = {"address": "127.0.0.1", "port": 9}
case("inventory-list", setting(["inventory"], []), "/inventory", "inventory is a list")
case("inventory-no-hosts", setting(["inventory"], {}), "/inventory", "inventory without hosts")
case("inventory-hosts-list", setting(["inventory"], {"hosts": ["a"]}), "/inventory/hosts", "inventory hosts is a list")
case("inventory-host-string", setting(["inventory"], {"hosts": {"n1": "127.0.0.1"}}), "/inventory/hosts/n1",
     "a host is a string")
case("inventory-host-no-address", setting(["inventory"], {"hosts": {"n1": {"port": 22}}}), "/inventory/hosts/n1",
     "a host without address")
for key, v, label in (("address", 1, "number"), ("address", "", "empty"), ("port", 0, "zero"),
                      ("port", 70000, "too-big"), ("port", "22", "string"), ("port", 22.5, "fraction"),
                      ("user", "", "empty"), ("identityFile", 1, "number"), ("groups", "g", "string"),
                      ("groups", [1], "number-item"), ("groups", ["g", "g"], "duplicate"),
                      ("vars", [], "list"), ("colour", "blue", "unknown")):
    h = dict(H)
    h[key] = v
    pointer = "/inventory/hosts/n1/" + key + ("/0" if label == "number-item" else "")
    case("inventory-host-%s-%s" % (key, label), setting(["inventory"], {"hosts": {"n1": h}}), pointer,
         "inventory host %s is %s" % (key, label))

# --- unknown modules and arguments ---------------------------------------------------------------
for name, label in (("dsik", "typo"), ("", "empty"), ("Command", "capitalised"), ("../../bin/sh", "path"),
                    ("command; rm -rf /", "shell"), ("shell", "ansible-shell"), ("\u001b[2Jcommand", "escape")):
    case("module-" + label, setting(T + ["module"], name), ptr(T + ["module"]), "module " + repr(name))


def module_case(slug, module, args, pointer_tail, what):
    task = {"name": "t", "module": module}
    if args is not None:
        task["args"] = args
    case("args-" + slug, with_task(task), ptr(T) + pointer_tail, what)


module_case("facts-extra", "facts", {"x": 1}, "/args/x", "facts takes no arguments")
module_case("disk-missing", "disk", None, "", "disk without args")
module_case("disk-no-select", "disk", {}, "/args", "disk without select")
module_case("disk-select-number", "disk", {"select": 3}, "/args/select", "disk select is a number")
module_case("disk-select-empty-object", "disk", {"select": {}}, "/args/select", "disk select is {}")
module_case("disk-select-unknown", "disk", {"select": {"colour": "red"}}, "/args/select/colour", "disk select by colour")
module_case("disk-size-bad", "disk", {"select": {"size": "ten gigs"}}, "/args/select/size", "disk size in words")
module_case("disk-auto-string", "disk", {"select": {"auto": "yes"}}, "/args/select/auto", "disk auto is 'yes'")
module_case("partition-no-device", "partition", {}, "/args", "partition without device")
module_case("partition-device-number", "partition", {"device": 1}, "/args/device", "partition device is a number")
module_case("partition-force-yes", "partition", {"device": "/dev/x", "force": "yes"}, "/args/force", "force: yes")
module_case("filesystem-btrfs", "filesystem", {"device": "/dev/x", "type": "btrfs"}, "/args/type", "btrfs")
module_case("filesystem-no-type", "filesystem", {"device": "/dev/x"}, "/args", "filesystem without type")
module_case("filesystem-opts-string", "filesystem", {"device": "/dev/x", "type": "xfs", "opts": "-f"},
            "/args/opts", "opts as a string")
module_case("mount-state", "mount", {"path": "/m", "device": "/dev/x", "type": "xfs", "state": "up"},
            "/args/state", "mount state up")
module_case("mount-fstabsource", "mount", {"path": "/m", "device": "/dev/x", "type": "xfs", "fstabSource": "label"},
            "/args/fstabSource", "fstabSource label")
module_case("mount-no-path", "mount", {"device": "/dev/x", "type": "xfs"}, "/args", "mount without path")
module_case("file-link-no-src", "file", {"path": "/a", "state": "link"}, "/args", "a link without src")
module_case("file-mode-999", "file", {"path": "/a", "mode": "999"}, "/args/mode", "mode 999")
module_case("file-mode-huge", "file", {"path": "/a", "mode": 99999}, "/args/mode", "mode 99999")
module_case("file-owner-negative", "file", {"path": "/a", "owner": -1}, "/args/owner", "owner -1")
module_case("file-path-empty", "file", {"path": ""}, "/args/path", "an empty path")
module_case("file-recurse-string", "file", {"path": "/a", "recurse": "true"}, "/args/recurse", "recurse 'true'")
module_case("copy-neither", "copy", {"dest": "/a"}, "/args", "copy without content or json")
module_case("copy-both", "copy", {"dest": "/a", "content": "x", "json": {}}, "/args", "copy with content and json")
module_case("copy-content-object", "copy", {"dest": "/a", "content": {"a": 1}}, "/args/content", "content is an object")
module_case("hosts-names-empty", "hosts", {"entries": [{"ip": "10.0.0.1", "names": []}]},
            "/args/entries/0/names", "a hosts entry without names")
module_case("hosts-entry-no-ip", "hosts", {"entries": [{"names": ["a"]}]}, "/args/entries/0", "a hosts entry without ip")
module_case("package-empty-list", "package", {"name": []}, "/args/name", "no package names")
module_case("package-state", "package", {"name": "x", "state": "latest"}, "/args/state", "package state latest")
module_case("command-neither", "command", {}, "/args", "command without argv or cmd")
module_case("command-both", "command", {"argv": ["a"], "cmd": "a"}, "/args", "command with argv and cmd")
module_case("command-argv-empty", "command", {"argv": []}, "/args/argv", "an empty argv")
module_case("command-argv-string", "command", {"argv": "ls -l; rm -rf /"}, "/args/argv", "argv as a shell string")
module_case("command-argv-number-item", "command", {"argv": ["ls", 1]}, "/args/argv", "a number in argv")
module_case("command-env-number", "command", {"argv": ["a"], "env": {"A": 1}}, "/args/env", "an env value that is a number")
module_case("command-shell-key", "command", {"argv": ["a"], "shell": True}, "/args/shell", "an unknown shell switch")
module_case("preallocate-both-sizes", "preallocate", {"path": "/p", "binSize": "10G", "binSizeGiB": 10}, "/args",
            "binSize and binSizeGiB")
module_case("preallocate-size-unit", "preallocate", {"path": "/p", "binSize": "10X"}, "/args/binSize", "binSize 10X")
module_case("service-state", "service", {"name": "s", "state": "on"}, "/args/state", "service state on")
module_case("service-logfile-relative", "service", {"name": "s", "logFile": "log.txt"}, "/args/logFile",
            "a relative logFile")
module_case("wait-for-neither", "wait_for", {"host": "h"}, "/args", "wait_for without port or url")
module_case("wait-for-port-zero", "wait_for", {"port": 0}, "/args/port", "port 0")
module_case("wait-for-port-huge", "wait_for", {"port": 65536}, "/args/port", "port 65536")
module_case("wait-for-url-ftp", "wait_for", {"url": "ftp://x"}, "/args/url", "an ftp url")
module_case("wait-for-status", "wait_for", {"url": "http://x", "status": 42}, "/args/status", "status 42")
module_case("ec2-no-cluster", "ec2", {}, "/args", "ec2 without cluster")
module_case("ec2-cluster-dash", "ec2", {"cluster": "-bad"}, "/args/cluster", "a cluster name starting with -")
module_case("ec2-count-zero", "ec2", {"cluster": "c", "count": 0}, "/args/count", "count 0")
module_case("docker-image-source", "docker_image", {"name": "i", "source": "ftp"}, "/args/source", "source ftp")
module_case("docker-container-restart", "docker_container", {"name": "c", "restartPolicy": "sometimes"},
            "/args/restartPolicy", "restartPolicy sometimes")
module_case("docker-container-binds", "docker_container", {"name": "c", "binds": ["a"]}, "/args/binds/0",
            "a bind too short")
module_case("ecs-no-license", "ecs", {}, "/args", "ecs without license")
module_case("ecs-namespace-slash", "ecs", {"license": "l", "namespace": "a/../b"}, "/args/namespace",
            "a namespace with a slash")
module_case("ecs-s3port", "ecs", {"license": "l", "s3Port": 0}, "/args/s3Port", "s3Port 0")

# --- bad templates -------------------------------------------------------------------------------
def template_case(slug, argv_item, what, pointer_tail="/args/argv/1", extra=None):
    task = {"name": "t", "module": "command", "args": {"argv": ["echo", argv_item]}}
    if extra:
        task.update(extra)
    case("template-" + slug, with_task(task), ptr(T) + pointer_tail, what)


template_case("unknown-variable", "{{ nosuch }}", "an unknown variable")
template_case("typo", "{{ dta.path }}", "a typo of a registered name",
              extra=None)
template_case("unclosed-expression", "{{ x", "an expression that never closes")
template_case("unclosed-if", "{% if true %}x", "an if without endif")
template_case("unknown-tag", "{% frobnicate %}", "an unknown tag")
template_case("unknown-filter", "{{ 'a' | nosuchfilter }}", "an unknown filter")
template_case("unknown-function", "{{ nosuchfunction() }}", "an unknown function")
template_case("unknown-test", "{% if 1 is frobbed %}x{% endif %}", "an unknown test")
template_case("empty-expression", "{{ }}", "an empty expression")
template_case("dangling-dot", "{{ inventory_hostname. }}", "a dot with nothing after it")
template_case("dangling-operator", "{{ 1 + }}", "an operator without its right side")
template_case("item-without-loop", "{{ item }}", "item outside a loop")
template_case("deep-parentheses", "{{ " + "(" * 20000 + "1" + ")" * 20000 + " }}", "parentheses 20000 deep")
template_case("hostile-unknown", "{{ `id` }}", "backticks in an expression")
template_case("shell-in-expression", "{{ x; rm -rf / }}", "a shell command in an expression")
b = with_task({"name": "t", "module": "command", "args": {"argv": ["echo", "{{ later.stdout }}"]}})
b["plays"][0]["tasks"].append({"name": "u", "module": "command", "args": {"argv": ["true"]}, "register": "later"})
case("template-register-used-before", b, ptr(T) + "/args/argv/1", "a register read before the task that makes it")
case("when-with-braces", setting(T + ["when"], "{{ x }}"), ptr(T + ["when"]), "when written with {{ }}")
case("when-syntax", setting(T + ["when"], "a =="), ptr(T + ["when"]), "a when that does not parse")
case("when-unknown", setting(T + ["when"], "nosuch > 1"), ptr(T + ["when"]), "a when over an unknown name")
case("loop-unknown", setting(T + ["loop"], "{{ nosuch }}"), ptr(T + ["loop"]), "a loop over an unknown name")
case("vars-unknown", setting(["vars"], {"a": "{{ nosuch }}"}), "/vars/a", "a var that reads an unknown name")
case("play-vars-unknown", setting(["plays", 0, "vars"], {"a": ["{{ nosuch }}"]}), "/plays/0/vars/a/0",
     "a play var list item that reads an unknown name")
case("hosts-template-facts", setting(["plays", 0, "hosts"], "{{ facts.hostname }}"), "/plays/0/hosts",
     "a host pattern over facts")
b = setting(["inventory"], {"hosts": {"n1": {"address": "127.0.0.1", "port": 9, "vars": {"v": "{{ nosuch }}"}}}})
case("inventory-vars-unknown", b, "/inventory/hosts/n1/vars/v", "an inventory var that reads an unknown name")
module_case("template-in-disk-select", "disk", {"select": {"name": "{{ disk | nosuch }}"}}, "/args/select/name",
            "an unknown filter in a nested argument")

# --- host patterns -------------------------------------------------------------------------------
for pattern, label in (("~(", "bad-regex"), ("!", "bare-bang"), ("&", "bare-ampersand"), (":,:", "only-separators"),
                       ("all[99999999999999]", "huge-index"), ("node[", "bad-glob")):
    case("hosts-pattern-" + label, setting(["plays", 0, "hosts"], pattern), "/plays/0/hosts",
         "host pattern " + repr(pattern))

# --- imports -------------------------------------------------------------------------------------
IMPORTED_OK = base()
IMPORTED_BROKEN = setting(T + ["module"], "dsik")
case("_ok", IMPORTED_OK, None, None)
case("_broken", IMPORTED_BROKEN, None, None)
case("_loop-a", {"name": "a", "plays": [{"import": "_loop-b.json"}]}, None, None)
case("_loop-b", {"name": "b", "plays": [{"import": "_loop-a.json"}]}, None, None)
case("_loop3-a", {"name": "a", "plays": [{"import": "_loop3-b.json"}]}, None, None)
case("_loop3-b", {"name": "b", "plays": [{"import": "_loop3-c.json"}]}, None, None)
case("_loop3-c", {"name": "c", "plays": [{"import": "_loop3-a.json"}]}, None, None)


def import_case(slug, entry, pointer, what):
    b = base()
    b["plays"].append(entry)
    case("import-" + slug, b, pointer, what)


import_case("missing-file", {"import": "_nosuch.json"}, "/plays/1/import", "an import of a file that is not there")
import_case("dot-dot", {"import": "../../../../../../../etc/rigger-nosuch.json"}, "/plays/1/import",
            "an import that climbs out with ../")
import_case("directory", {"import": "../cases.json"}, "/plays/1/import", "an import of a directory")
import_case("not-json-name", {"import": "_ok.yaml"}, "/plays/1/import", "an import not named .json")
import_case("number", {"import": 1}, "/plays/1/import", "an import that is a number")
import_case("extra-key", {"import": "_ok.json", "hosts": "all"}, "/plays/1/hosts", "an import with hosts")
import_case("broken", {"import": "_broken.json"}, "/plays/0/tasks/0/module", "an import of a bad playbook")
import_case("loop-two", {"import": "_loop-a.json"}, "/plays/0/import", "a loop of two imports")
import_case("loop-three", {"import": "_loop3-a.json"}, "/plays/0/import", "a loop of three imports")
import_case("nul-in-path", {"import": "_ok\u0000.json"}, "/plays/1/import", "a NUL character in an import path")
import_case("newline-in-path", {"import": "_ok\n.json"}, "/plays/1/import", "a newline in an import path")
import_case("vars-bad", {"import": "_ok.json", "vars": {"a-b": 1}}, "/plays/1/vars/a-b", "an import with a bad var name")
b = base()
b["plays"] = [{"import": "import-self.json"}]
case("import-self", b, "/plays/0/import", "a playbook that imports itself")

# --- huge values ---------------------------------------------------------------------------------
for key, v, label in (("forks", 10 ** 20, "forks-beyond-long"), ("forks", 2 ** 31, "forks-beyond-int"),
                      ("maxFailPercent", 1e300, "maxfail-1e300")):
    case("huge-" + label, setting(["plays", 0, key], v), "/plays/0/" + key, "%s = %s" % (key, v))
for key, v, label in (("retries", 2 ** 31, "retries-beyond-int"), ("retries", 10 ** 30, "retries-beyond-long"),
                      ("timeoutSec", 2 ** 40, "timeout-beyond-int"), ("delaySec", 1e300, "delay-1e300")):
    case("huge-" + label, setting(T + [key], v), ptr(T + [key]), "%s = %s" % (key, v))
case("huge-delay-overflow", json.dumps(base()).replace('"module"', '"delaySec": 1e400, "module"', 1),
     ptr(T + ["delaySec"]), "a delay beyond a double")
case("huge-port", setting(["inventory"], {"hosts": {"n1": {"address": "a", "port": 2 ** 63}}}),
     "/inventory/hosts/n1/port", "port 2^63")
case("huge-name-unknown-module", setting(T + ["module"], "x" * 100000), ptr(T + ["module"]),
     "a 100000-character module name")
case("huge-many-unknown-properties", setting(T, dict({"name": "t", "module": "facts"},
                                                      **{"p%d" % i: i for i in range(2000)})),
     ptr(T + ["p1999"]), "2000 unknown properties")

# --- hostile strings where a name is expected ----------------------------------------------------
for i, s in enumerate(HOSTILE):
    case("hostile-module-%02d" % i, setting(T + ["module"], s), ptr(T + ["module"]), "module " + repr(s))
    case("hostile-register-%02d" % i, setting(T + ["register"], s), ptr(T + ["register"]), "register " + repr(s))
    case("hostile-var-name-%02d" % i, setting(["vars"], {s: 1}), ptr(["vars", s]), "var name " + repr(s))
    case("hostile-property-%02d" % i, setting(T + [s], 1), ptr(T + [s]), "unknown task property " + repr(s))
    case("hostile-host-name-%02d" % i, setting(["inventory"], {"hosts": {s: {"address": "127.0.0.1", "port": 9}}}),
         ptr(["inventory", "hosts", s]), "inventory host name " + repr(s))
    case("hostile-group-%02d" % i,
         setting(["inventory"], {"hosts": {"n1": {"address": "127.0.0.1", "port": 9, "groups": [s]}}}),
         "/inventory/hosts/n1/groups/0", "group name " + repr(s))
    # a hostile string where any string goes, next to a real mistake: the message must stay clean
    b = setting(["name"], s)
    b["plays"][0]["tasks"][0]["args"] = {"argv": ["echo", s], "creates": s}
    b["plays"][0]["forks"] = 0
    case("hostile-with-mistake-%02d" % i, b, "/plays/0/forks", "hostile strings beside forks 0")

# --- tags that would read another template: templates read no file -------------------------------
REFUSED_TAGS = [
    ("include", '{% include "/etc/passwd" %}'),
    ("import", '{% import "/etc/passwd" %}'),
    ("from", '{% from "/etc/passwd" import m %}'),
    ("extends", '{% extends "/etc/passwd" %}'),
    ("embed", '{% embed "/etc/passwd" %}{% endembed %}'),
    ("macro", '{% macro m() %}x{% endmacro %}'),
]
for tag, text in REFUSED_TAGS:
    template_case("refused-tag-" + tag, "x" + text, "the " + tag + " tag (templates read no file)")
include = REFUSED_TAGS[0][1]
case("refused-tag-in-vars", setting(["vars"], {"a": include}), "/vars/a", "include in a playbook var")
case("refused-tag-in-play-vars", setting(["plays", 0, "vars"], {"a": {"b": [include]}}), "/plays/0/vars/a/b/0",
     "include deep in a play var")
case("refused-tag-in-inventory-vars",
     setting(["inventory"], {"hosts": {"n1": {"address": "127.0.0.1", "port": 9, "vars": {"v": include}}}}),
     "/inventory/hosts/n1/vars/v", "include in an inventory var")
case("refused-tag-in-hosts", setting(["plays", 0, "hosts"], include), "/plays/0/hosts", "include in a host pattern")
case("refused-tag-in-loop", setting(T + ["loop"], include), ptr(T + ["loop"]), "include as a loop")
b = with_task({"name": "t", "module": "command", "args": {"argv": ["echo", "{{ x }}"]}})
b["vars"] = {"x": "{% from '/etc/passwd' import m %}{{ m() }}"}
case("refused-tag-through-a-var", b, "/vars/x", "a var that imports, read by a task")


def write():
    if os.path.isdir(CASES):
        shutil.rmtree(CASES)
    os.makedirs(CASES)
    lines = ["# case\tpointer\twhat (generated by generate.py; every case must exit 2 naming the pointer)"]
    n = 0
    for slug, doc, pointer, what in cases:
        if slug.startswith("_"):
            name = slug + ".json"
        else:
            n += 1
            name = "%03d-%s.json" % (n, slug)
        if slug == "import-self":
            doc["plays"][0]["import"] = name
        if isinstance(doc, bytes):
            data = doc
        elif isinstance(doc, str):
            data = doc.encode("utf-8", "surrogatepass")
        else:
            data = (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        with open(os.path.join(CASES, name), "wb") as f:
            f.write(data)
        if not slug.startswith("_"):
            p = "" if pointer is None else pointer
            lines.append("%s\t%s\t%s" % (name, json.dumps(p)[1:-1], what))
    # the directory an import points at, so reading it fails as a directory, not as a missing file
    os.makedirs(os.path.join(HERE, "cases.json"), exist_ok=True)
    with open(os.path.join(HERE, "cases.json", ".keep"), "w") as f:
        f.write("an import in the corpus points at this directory\n")
    with open(os.path.join(HERE, "manifest.tsv"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print("%d cases" % n)


write()
