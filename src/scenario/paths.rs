//! Paths into a scenario's TOML: `ports[name=Dalian].areas[0].channel.depth_m`.
//!
//! Sweeps set values by path; projects set and add values by path. A path is dotted keys, each
//! optionally selecting an array element by index (`[2]`) or by its `name` (`[name=X]`).

pub(crate) fn type_name(v: &toml::Value) -> &'static str {
    match v {
        toml::Value::String(_) => "a string",
        toml::Value::Integer(_) => "an integer",
        toml::Value::Float(_) => "a number",
        toml::Value::Boolean(_) => "true or false",
        toml::Value::Datetime(_) => "a date",
        toml::Value::Array(_) => "an array",
        toml::Value::Table(_) => "a table",
    }
}

/// One step of a path: a key, optionally selecting an array element.
pub(crate) enum Sel {
    Index(usize),
    Name(String),
}

pub(crate) fn parse_path(path: &str) -> std::result::Result<Vec<(String, Option<Sel>)>, String> {
    let mut out = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        let key = rest[..end].trim().to_string();
        if key.is_empty() {
            return Err(format!("expected a key at `{rest}`"));
        }
        rest = &rest[end..];
        let mut sel = None;
        if let Some(r) = rest.strip_prefix('[') {
            let close = r.find(']').ok_or("unclosed `[`; missing `]`")?;
            let inner = r[..close].trim();
            sel =
                Some(match inner.strip_prefix("name=") {
                    Some(n) => Sel::Name(n.trim().trim_matches('"').to_string()),
                    None => Sel::Index(inner.parse().map_err(|_| {
                        format!("expected `[index]` or `[name=…]`, found `[{inner}]`")
                    })?),
                });
            rest = &r[close + 1..];
        }
        if let Some(r) = rest.strip_prefix('.') {
            rest = r;
            if rest.is_empty() {
                return Err("the path ends with `.`".into());
            }
        } else if !rest.is_empty() {
            return Err(format!("expected `.` or the end at `{rest}`"));
        }
        out.push((key, sel));
    }
    if out.is_empty() {
        return Err("empty path".into());
    }
    Ok(out)
}

/// Sets the value at `path` in a scenario's TOML table; the value must have the type of the
/// one it replaces (integers and numbers replace each other).
pub(crate) fn set_path(
    root: &mut toml::Table,
    path: &str,
    value: &toml::Value,
) -> std::result::Result<(), String> {
    edit_path(root, path, value, Edit::Replace, "the sweep")
}

/// How [`edit_path`] changes the value at its path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Edit {
    /// Replace an existing value of the same type.
    Replace,
    /// Replace, or insert a key that is not there yet.
    Set,
    /// Append to the array at the path (created if the key is not there yet).
    Append,
}

/// Edits the value at `path`; `who` names the editor in messages ("the sweep", "project x").
pub(crate) fn edit_path(
    root: &mut toml::Table,
    path: &str,
    value: &toml::Value,
    edit: Edit,
    who: &str,
) -> std::result::Result<(), String> {
    let steps = parse_path(path)?;
    let mut cur: &mut toml::Table = root;
    let mut seen = String::new();
    for (i, (key, sel)) in steps.iter().enumerate() {
        let last = i + 1 == steps.len();
        let here = if seen.is_empty() {
            "the scenario".to_string()
        } else {
            format!("`{seen}`")
        };
        if !cur.contains_key(key) && last && sel.is_none() && edit != Edit::Replace {
            let v = if edit == Edit::Append {
                toml::Value::Array(vec![value.clone()])
            } else {
                value.clone()
            };
            cur.insert(key.clone(), v);
            return Ok(());
        }
        if !cur.contains_key(key) {
            let keys: Vec<&str> = cur.keys().map(String::as_str).collect();
            let hint = super::nearest_key(key, &keys);
            return Err(format!("no key `{key}` in {here}{hint}"));
        }
        if !seen.is_empty() {
            seen.push('.');
        }
        seen.push_str(key);
        let entry = cur.get_mut(key).expect("checked above");
        let target: &mut toml::Value = match sel {
            None => entry,
            Some(sel) => {
                let toml::Value::Array(items) = entry else {
                    return Err(format!("`{seen}` is not an array; drop the `[…]`"));
                };
                let n = items.len();
                let found = match sel {
                    Sel::Index(k) => items.get_mut(*k).ok_or(format!(
                        "`{seen}` has {n} elements; index {k} is out of range"
                    ))?,
                    Sel::Name(name) => {
                        let names: Vec<String> = items
                            .iter()
                            .filter_map(|v| {
                                v.get("name").and_then(|n| n.as_str()).map(String::from)
                            })
                            .collect();
                        // The position among all the elements (some may have no name).
                        let pos = items.iter().position(|v| {
                            v.get("name").and_then(|n| n.as_str()) == Some(name.as_str())
                        });
                        match pos {
                            Some(p) => &mut items[p],
                            None => {
                                let refs: Vec<&str> = names.iter().map(String::as_str).collect();
                                let hint = super::nearest_key(name, &refs);
                                return Err(format!(
                                    "no element of `{seen}` is named `{name}`{hint}"
                                ));
                            }
                        }
                    }
                };
                seen.push_str(&match sel {
                    Sel::Index(k) => format!("[{k}]"),
                    Sel::Name(n) => format!("[name={n}]"),
                });
                found
            }
        };
        if last && edit == Edit::Append {
            let toml::Value::Array(items) = target else {
                return Err(format!(
                    "`{seen}` is {}, not an array to add to",
                    type_name(target)
                ));
            };
            items.push(value.clone());
            return Ok(());
        }
        if last {
            // Numbers replace numbers either way: the scenario's own checks then decide whether
            // a field takes a fraction.
            let number =
                |v: &toml::Value| matches!(v, toml::Value::Float(_) | toml::Value::Integer(_));
            let ok = std::mem::discriminant(target) == std::mem::discriminant(value)
                || (number(target) && number(value));
            if !ok {
                return Err(format!(
                    "`{seen}` is {}, but {who} gives {}",
                    type_name(target),
                    type_name(value)
                ));
            }
            *target = match (&*target, value) {
                (toml::Value::Float(_), toml::Value::Integer(i)) => toml::Value::Float(*i as f64),
                _ => value.clone(),
            };
            return Ok(());
        }
        match target {
            toml::Value::Table(t) => cur = t,
            other => {
                return Err(format!(
                    "`{seen}` is {}, not a table; the path goes no deeper",
                    type_name(other)
                ));
            }
        }
    }
    Ok(())
}

/// The value at `path` in a scenario's TOML table, if there is one.
pub(crate) fn get_path<'a>(root: &'a toml::Table, path: &str) -> Option<&'a toml::Value> {
    resolve(root, path).map(|(v, _)| v)
}

/// The place `path` names in a scenario's TOML table, written with indices only (trimmed keys,
/// `[name=X]` resolved to the element's index): two paths name the same value exactly when
/// their canonical forms are equal. `None` if the path does not resolve.
pub(crate) fn canonical_path(root: &toml::Table, path: &str) -> Option<String> {
    resolve(root, path).map(|(_, place)| place)
}

/// The value at `path` and its place written with indices only; `None` if it does not resolve.
fn resolve<'a>(root: &'a toml::Table, path: &str) -> Option<(&'a toml::Value, String)> {
    let steps = parse_path(path).ok()?;
    let mut cur: Option<&toml::Value> = None;
    let mut place = String::new();
    for (key, sel) in &steps {
        let table = match cur {
            None => root,
            Some(v) => v.as_table()?,
        };
        let entry = table.get(key)?;
        if !place.is_empty() {
            place.push('.');
        }
        place.push_str(key);
        let k = match sel {
            None => {
                cur = Some(entry);
                continue;
            }
            Some(Sel::Index(k)) => *k,
            Some(Sel::Name(n)) => entry
                .as_array()?
                .iter()
                .position(|v| v.get("name").and_then(|x| x.as_str()) == Some(n.as_str()))?,
        };
        cur = Some(entry.as_array()?.get(k)?);
        place.push_str(&format!("[{k}]"));
    }
    cur.map(|v| (v, place))
}

/// Whether the value at canonical path `inner` lies inside the one at `outer` (or is it).
pub(crate) fn canonical_within(outer: &str, inner: &str) -> bool {
    inner
        .strip_prefix(outer)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

/// Whether [`edit_path`] certainly succeeds on `root` — the path names a value, of a type
/// the edit accepts — found without copying `root`. `false` says only that the edit must be
/// tried (on a copy) to know, and to have its message.
pub(crate) fn edit_applies(
    root: &toml::Table,
    path: &str,
    value: &toml::Value,
    edit: Edit,
) -> bool {
    let Some(target) = get_path(root, path) else {
        return false;
    };
    let number = |v: &toml::Value| matches!(v, toml::Value::Float(_) | toml::Value::Integer(_));
    match edit {
        Edit::Append => target.is_array(),
        Edit::Replace | Edit::Set => {
            std::mem::discriminant(target) == std::mem::discriminant(value)
                || (number(target) && number(value))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `edit_applies` is never wrong when it says yes: every edit it accepts succeeds on a
    /// copy; and it says yes where a value of the right type replaces one that is there.
    #[test]
    fn an_edit_said_to_apply_applies() {
        // The first port has no name: `[name=P]` is the second element.
        let root: toml::Table =
            "x = 1.5\nname = \"a\"\nlist = [1]\n[[ports]]\nberths = \"none\"\n[[ports]]\nname = \"P\"\nberths = 2\n"
                .parse()
                .expect("toml");
        let values = [
            toml::Value::Float(2.0),
            toml::Value::Integer(3),
            toml::Value::String("b".into()),
            toml::Value::Boolean(true),
        ];
        let paths = [
            "x",
            "name",
            "list",
            "ports[0].berths",
            "ports[name=P].berths",
            "ports[name=Q].berths",
            "ports[1].berths",
            "missing",
            "x.y",
        ];
        let mut yes = 0;
        for path in paths {
            for v in &values {
                for edit in [Edit::Replace, Edit::Set, Edit::Append] {
                    if edit_applies(&root, path, v, edit) {
                        yes += 1;
                        let mut copy = root.clone();
                        assert!(
                            edit_path(&mut copy, path, v, edit, "t").is_ok(),
                            "{path} {v:?} {edit:?}"
                        );
                        // And it edits the element the path names (by index: unambiguous).
                        let place = canonical_path(&root, path).expect("it resolves");
                        let mut expected = root.clone();
                        edit_path(&mut expected, &place, v, edit, "t").expect("by index");
                        assert_eq!(copy, expected, "{path} {v:?} {edit:?}");
                    }
                }
            }
        }
        assert!(edit_applies(
            &root,
            "ports[name=P].berths",
            &values[0],
            Edit::Replace
        ));
        assert!(!edit_applies(
            &root,
            "ports[name=P].berths",
            &values[2],
            Edit::Replace
        ));
        assert!(edit_applies(&root, "list", &values[1], Edit::Append));
        assert!(!edit_applies(&root, "x", &values[1], Edit::Append));
        assert!(yes >= 10, "{yes}");
    }

    #[test]
    fn canonical_paths_name_places_by_index() {
        let root: toml::Table =
            "[[ports]]\nname = \"P\"\n[[ports]]\nname = \"Q\"\n[ports.channel]\ndepth_m = 1.0\n"
                .parse()
                .expect("toml");
        assert_eq!(
            canonical_path(&root, "ports[name=Q].channel.depth_m").as_deref(),
            Some("ports[1].channel.depth_m")
        );
        assert_eq!(
            canonical_path(&root, " ports[1].channel. depth_m").as_deref(),
            Some("ports[1].channel.depth_m")
        );
        assert_eq!(canonical_path(&root, "ports[name=R].channel"), None);
        assert!(canonical_within(
            "ports[1].channel",
            "ports[1].channel.depth_m"
        ));
        assert!(canonical_within("ports[1]", "ports[1]"));
        assert!(!canonical_within("ports[1]", "ports[10].name"));
    }
}
