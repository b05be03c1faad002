#!/usr/bin/env python3
"""scripts/mig-server-check.py SPEC.c MIG_SERVER.c [MIG_USER.c]: compares the
checks in MIG's generated server (__MIG_check__Request__X and the trailer
checks of _X) and user stubs (__MIG_check__Reply__X) with the spec table mpmig
wrote (SPEC.c, from `mpmig X.defs -o SPEC.c`):
the complex bit, descriptor count, msgh_size bounds, each variable field's
maximum and element size, each descriptor's type, received dispositions,
fixed size / count, OOL multiplier and maximum, the RetCArg form and the
trailer elements in order. Called by scripts/mig-layout-check; local only."""
import re
import sys

DESC_TYPES = {
    "MP_MSG_PORT_DESCRIPTOR": "MACH_MSG_PORT_DESCRIPTOR",
    "MP_MSG_OOL_DESCRIPTOR": "MACH_MSG_OOL_DESCRIPTOR",
    "MP_MSG_OOL_PORTS_DESCRIPTOR": "MACH_MSG_OOL_PORTS_DESCRIPTOR",
}
DISPOSITIONS = {
    "MACH_MSG_TYPE_MOVE_RECEIVE": 16, "MACH_MSG_TYPE_MOVE_SEND": 17,
    "MACH_MSG_TYPE_MOVE_SEND_ONCE": 18, "MACH_MSG_TYPE_COPY_SEND": 19,
    "MACH_MSG_TYPE_MAKE_SEND": 20, "MACH_MSG_TYPE_MAKE_SEND_ONCE": 21,
}
TRAILER_TYPES = {
    "audit_token_t": "MP_SPEC_TRAILER_AUDIT", "security_token_t": "MP_SPEC_TRAILER_SENDER",
    "mach_port_seqno_t": "MP_SPEC_TRAILER_SEQNO", "mach_vm_address_t": "MP_SPEC_TRAILER_CONTEXT",
}


def parse_spec(text):
    """Our emitted tables: {routine: {"request": msg, ...}}"""
    arrays = {}
    for m in re.finditer(r"static const mp_spec_(field|desc)_t (\w+)\[\d+\] = \{\n(.*?)\n\};", text, re.S):
        rows = []
        # one row per "{...}," (mpmig wraps a descriptor's row over two lines)
        for row in re.findall(r"^\t\{(.*?)\},?$", m.group(3), re.S | re.M):
            rows.append(dict(re.findall(r"\.(\w+) = (\"[^\"]*\"|[\w]+)", row)))
        for r in rows:
            r["name"] = r["name"].strip('"')
        arrays[m.group(2)] = rows
    routines = {}
    for m in re.finditer(r"static const mp_spec_routine_t (\w+) = \{\n(.*?)\n\};", text, re.S):
        body = m.group(2)
        rt = {"name": re.search(r'\.name = "(\w+)"', body).group(1)}
        rt["retcode_arg"] = int(re.search(r"\.retcode_arg = (\d+)", body).group(1))
        tr = re.search(r"\.trailer = \{([^}]*)\}", body)
        rt["trailer"] = [t.strip() for t in tr.group(1).split(",")] if tr else []
        for direction in ("request", "reply"):
            mm = re.search(r"\t\.%s = \{\n(.*?)\n\t\}," % direction, body, re.S)
            if not mm:
                continue
            b = mm.group(1)
            msg = {k: int(v) for k, v in re.findall(r"\.(complex|ndr|ndesc|nfields|nvar|min_size|max_size) = (\d+)", b)}
            f = re.search(r"\.fields = (\w+)", b)
            d = re.search(r"\.descs = (\w+)", b)
            msg["fields"] = arrays[f.group(1)] if f else []
            msg["descs"] = arrays[d.group(1)] if d else []
            rt[direction] = msg
        routines[rt["name"]] = rt
    return routines


def function_body(server, header_re):
    """The body of the definition (not a declaration) whose head matches."""
    for m in re.finditer(header_re, server):
        brace = server.find("\n{", m.end())
        semi = server.find(";", m.end())
        if brace >= 0 and (semi < 0 or brace < semi):
            return server[brace:server.index("\n}\n", brace)]
    return None


def check_msg(msg, code, P, S, err):
    """One message's checks; P is "In" (request, server.c) or "Out" (reply, user.c)."""
    if msg["complex"]:
        n = re.search(r"msgh_descriptor_count != (\d+)", code)
        if not n or int(n.group(1)) != msg["ndesc"]:
            err("ndesc %d, MIG %s" % (msg["ndesc"], n.group(1) if n else None))
    elif "msgh_descriptor_count" in code or "(%s0P->Head.msgh_bits & MACH_MSGH_BITS_COMPLEX) ||" % P not in code:
        err("simple: MIG does not refuse the COMPLEX bit")
    d = re.search(r"msgh_size < \(mach_msg_size_t\)\(sizeof\(%s\) - (\d+)\)" % S, code)
    if msg["nvar"]:
        if not d or msg["max_size"] - int(d.group(1)) != msg["min_size"]:
            err("min_size %d, MIG max - %s" % (msg["min_size"], d.group(1) if d else None))
    elif d:
        err("no variable field, MIG has a minimum size")
    fields = msg["fields"]
    seen = {}  # a count shared (SameCount) by several arrays: its k-th check is the k-th array's
    for f in fields:
        if f["kind"] not in ("MP_SPEC_VAR_ARRAY", "MP_SPEC_VAR_STRING"):
            continue
        k = seen.get(f["count_field"], 0)
        seen[f["count_field"]] = k + 1
        cnt = re.escape(fields[int(f["count_field"])]["name"])
        mxs = list(re.finditer(r"%s\dP->%s > (\d+)" % (P, cnt), code))
        mx = mxs[k] if k < len(mxs) else None
        if not mx or int(mx.group(1)) != int(f["max"]):
            err("%s: max %s, MIG %s" % (f["name"], f["max"], mx.group(1) if mx else None))
        elem = int(f["elem_size"])
        divs = list(re.finditer(r"sizeof\(%s\) - \d+\)\) ?(?:/ (\d+) ?)?< %s\dP->%s\b" % (S, P, cnt), code))
        div = divs[k] if k < len(divs) else None
        got = int(div.group(1)) if div and div.group(1) else (1 if div else None)
        if got != elem:
            err("%s: elem_size %d, MIG divides by %s" % (f["name"], elem, got))
    for desc in msg["descs"]:
        check_desc(desc, code, fields, P, err)


def check_routine(rt, server, user, errors):
    name = rt["name"]
    req = rt["request"]

    def err(msg):
        errors.append("%s: %s" % (name, msg))

    body = function_body(server, r"__MIG_check__Request__%s_t\(__attribute__" % re.escape(name))
    if body is None:
        # MIG writes no check function for a request with no checks
        if req["complex"] or req["nvar"]:
            err("MIG has no check function")
    else:
        code = re.sub(r"#.*", "", body)
        if not req["complex"] and not req["nvar"] and \
                "msgh_size != (mach_msg_size_t)sizeof(__Request)" not in code:
            err("fixed size: MIG does not compare msgh_size to sizeof")
        if rt["retcode_arg"] != ("mig_reply_error_t" in code):
            err("retcode_arg %d disagrees" % rt["retcode_arg"])
        check_msg(req, code, "In", "__Request", err)
    check_trailer(rt, server, err)
    if user is not None and "reply" in rt:
        body = function_body(user, r"__MIG_check__Reply__%s_t\(__Reply" % re.escape(name))
        if body is None:
            err("MIG has no reply check function")
        else:
            check_msg(rt["reply"], re.sub(r"#.*", "", body), "Out", "__Reply",
                      lambda m: err("reply: " + m))


def check_desc(d, code, fields, P, err):
    nm = re.escape(d["name"])
    direct = re.search(r"%s\dP->%s\.type != (\w+)" % (P, nm), code)
    if direct is None:
        # arrays of descriptors are checked through `ptr->` in a loop
        if not re.search(r"ptr = &%s\dP->%s\[0\]" % (P, nm), code):
            err("%s: MIG has no type check" % d["name"])
        return
    if direct.group(1) != DESC_TYPES[d["type"]]:
        err("%s: type %s, MIG %s" % (d["name"], d["type"], direct.group(1)))
    # the disposition test of this descriptor (one if-statement)
    stmt = code[direct.start():code.index("return", direct.start())]
    vals = set()
    for v in re.findall(r"%s\.disposition != (\w+)" % nm, stmt):
        vals.add(int(v) if v.isdigit() else DISPOSITIONS[v])
    mask = sum(1 << v for v in vals) if vals else 0xFFFFFFFF
    want = 0xFFFFFFFF if d["dispositions"] == "MP_SPEC_ANY_DISPOSITION" else int(d["dispositions"].rstrip("u"), 16)
    if d["type"] != "MP_MSG_OOL_DESCRIPTOR" and mask != want:
        err("%s: dispositions 0x%x, MIG 0x%x" % (d["name"], want, mask))
    fixed = int(d["flags"].rstrip("u"), 16) & 1
    if d["type"] == "MP_MSG_OOL_DESCRIPTOR":
        fx = re.search(r"%s\.size != (\d+)\)" % nm, stmt)
        if fixed != bool(fx) or (fx and int(fx.group(1)) != int(d["fixed"])):
            err("%s: fixed %s, MIG %s" % (d["name"], d["fixed"], fx.group(1) if fx else None))
        if not fixed:
            cnt = re.escape(fields[int(d["count_field"])]["name"])
            m = re.search(r"%s\dP->%s\.size (?:/ (\d+) )?!= %s\dP->%s(?: \|\| %s\dP->%s > (\d+))?\)" % (P, nm, P, cnt, P, cnt), code)
            if not m:
                err("%s: MIG has no size check against %s" % (d["name"], cnt))
            else:
                if int(m.group(1) or 1) != int(d["multiplier"]):
                    err("%s: multiplier %s, MIG %s" % (d["name"], d["multiplier"], m.group(1)))
                if int(m.group(2) or 0) != int(d["max"]):
                    err("%s: max %s, MIG %s" % (d["name"], d["max"], m.group(2)))
    elif d["type"] == "MP_MSG_OOL_PORTS_DESCRIPTOR":
        fx = re.search(r"%s\.count != (\d+)" % nm, stmt)
        if fixed != bool(fx) or (fx and int(fx.group(1)) != int(d["fixed"])):
            err("%s: fixed count %s, MIG %s" % (d["name"], d["fixed"], fx.group(1) if fx else None))
        if not fixed:
            cnt = re.escape(fields[int(d["count_field"])]["name"])
            m = re.search(r"%s\dP->%s\.count != %s\dP->%s(?: \|\| %s\dP->%s > (\d+))?\)" % (P, nm, P, cnt, P, cnt), code)
            if not m:
                err("%s: MIG has no count check against %s" % (d["name"], cnt))
            elif int(m.group(1) or 0) != int(d["max"]):
                err("%s: max %s, MIG %s" % (d["name"], d["max"], m.group(1)))


def check_trailer(rt, server, err):
    body = function_body(server, r"novalue _X%s\n" % re.escape(rt["name"])) or ""
    got = [TRAILER_TYPES[t] for t in re.findall(r"trailer_size < \(mach_msg_size_t\)sizeof\((\w+)\)", body)]
    if got != rt["trailer"]:
        err("trailer %s, MIG %s" % (rt["trailer"], got))


def main():
    spec = parse_spec(open(sys.argv[1]).read())
    server = open(sys.argv[2]).read()
    user = open(sys.argv[3]).read() if len(sys.argv) > 3 else None
    errors = []
    for rt in spec.values():
        check_routine(rt, server, user, errors)
    for e in errors:
        print("  " + e)
    print("%d routines, %d disagreements" % (len(spec), len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
