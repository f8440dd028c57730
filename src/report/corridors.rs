//! Rail corridors as the report names them: "Yingkou → Jilin and Heilongjiang (boxes)", from
//! the corridor's port, region and cargo classes in the scenario's text (saved in the manifest),
//! rather than its id (`yingkou-box-north`) — one name in the findings, the charts and the map.

use std::collections::BTreeMap;

use super::saved::Saved;
use crate::model::cargo_words;

/// The readable names of every scenario's rail corridors, by (scenario, result row).
#[derive(Debug, Default)]
pub(crate) struct CorridorNames {
    /// (scenario, `Port/rail:id`) → name.
    names: BTreeMap<(String, String), String>,
}

impl CorridorNames {
    /// The names of the corridors of every scenario the results hold, read from each scenario's
    /// text in the manifest.
    pub(crate) fn of(saved: &Saved) -> CorridorNames {
        let mut names = BTreeMap::new();
        for scenario in saved.scenarios() {
            let Some(table) = saved.scenario_table_named(&scenario) else {
                continue;
            };
            let corridors = table.get("corridors").and_then(toml::Value::as_array);
            for (row, name) in named(corridors.map_or(&[][..], Vec::as_slice)) {
                names.insert((scenario.clone(), row), name);
            }
        }
        CorridorNames { names }
    }

    /// A result row's corridor by name: a row of `Port/rail:id` that the scenario's text
    /// describes by its name, any other by "Port → id"; a row that is not a corridor as it is.
    pub(crate) fn name(&self, scenario: &str, row: &str) -> String {
        let key = (scenario.to_string(), row.to_string());
        match self.names.get(&key) {
            Some(n) => n.clone(),
            None => row.replace("/rail:", " → "),
        }
    }

    /// A corridor's name where several scenarios may hold it (a chart's row across them): the
    /// first of `scenarios` that describes it.
    pub(crate) fn in_any(&self, scenarios: &[String], row: &str) -> String {
        let found = scenarios.iter().find_map(|s| {
            let key = (s.clone(), row.to_string());
            self.names.get(&key).cloned()
        });
        found.unwrap_or_else(|| row.replace("/rail:", " → "))
    }
}

/// (`Port/rail:id`, name) for each `[[corridors]]` entry with a port and name; a name two
/// corridors would share gets their ids after it.
fn named(corridors: &[toml::Value]) -> Vec<(String, String)> {
    let text = |c: &toml::Value, k: &str| c.get(k).and_then(toml::Value::as_str).map(String::from);
    let mut out: Vec<(String, String, String)> = Vec::new();
    for c in corridors {
        let (Some(id), Some(port)) = (text(c, "name"), text(c, "port")) else {
            continue;
        };
        let cargo: Vec<String> = (c.get("cargo").and_then(toml::Value::as_array))
            .into_iter()
            .flatten()
            .filter_map(toml::Value::as_str)
            .map(short_cargo)
            .collect();
        let mut name = match text(c, "region") {
            Some(region) => format!("{port} → {region}"),
            None => format!("{port} → {id}"),
        };
        if !cargo.is_empty() {
            name.push_str(&format!(" ({})", cargo.join(", ")));
        }
        out.push((format!("{port}/rail:{id}"), id, name));
    }
    let shared = |name: &str| out.iter().filter(|o| o.2 == name).count() > 1;
    let with_ids: Vec<(String, String)> = (out.iter())
        .map(|(row, id, name)| match shared(name) {
            true => (row.clone(), format!("{name} [{id}]")),
            false => (row.clone(), name.clone()),
        })
        .collect();
    with_ids
}

/// A cargo class in a corridor's name: short, as a planner says it.
fn short_cargo(c: &str) -> String {
    match c {
        "container" => "boxes".into(),
        "iron_ore" => "ore".into(),
        "steel_general" => "steel".into(),
        "other_dry_bulk" => "dry bulk".into(),
        "crude_oil" => "crude".into(),
        "refined_products" => "oil products".into(),
        "liquid_chemicals" => "chemicals".into(),
        other => cargo_words(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(text: &str) -> Saved {
        let mut saved = Saved::default();
        let toml = format!("name = \"s\"\n{text}");
        saved.manifest = serde_json::json!({ "scenarios": [{ "name": "s", "toml": toml }] });
        saved.rows = vec![crate::report::saved::SavedRow {
            labels: Vec::new(),
            scenario: "s".into(),
            year: 2020,
            port: "Yingkou/rail:yingkou-box-north".into(),
            cargo: "ALL".into(),
            metric: "trains".into(),
            mean: 1.0,
            lo: 1.0,
            hi: 1.0,
        }];
        saved
    }

    #[test]
    fn a_corridor_is_named_by_its_port_region_and_cargo_not_its_id() {
        let saved = scenario(
            r#"
[[corridors]]
name = "yingkou-box-north"
port = "Yingkou"
region = "Jilin and Heilongjiang"
cargo = ["container"]
[[corridors]]
name = "yingkou-bulk-liaoning"
port = "Yingkou"
region = "South and central Liaoning"
cargo = ["iron_ore", "coal", "steel_general"]
[[corridors]]
name = "a"
port = "Dalian"
region = "Europe"
cargo = ["container"]
[[corridors]]
name = "b"
port = "Dalian"
region = "Europe"
cargo = ["container"]
"#,
        );
        let names = CorridorNames::of(&saved);
        let name = |row: &str| names.name("s", row);
        assert_eq!(
            name("Yingkou/rail:yingkou-box-north"),
            "Yingkou → Jilin and Heilongjiang (boxes)"
        );
        assert_eq!(
            name("Yingkou/rail:yingkou-bulk-liaoning"),
            "Yingkou → South and central Liaoning (ore, coal, steel)"
        );
        // Two alike keep their ids.
        assert_eq!(name("Dalian/rail:a"), "Dalian → Europe (boxes) [a]");
        // A corridor the text does not describe, another scenario's: by its id.
        assert_eq!(name("Dalian/rail:c"), "Dalian → c");
        assert_eq!(
            names.name("t", "Yingkou/rail:yingkou-box-north"),
            "Yingkou → yingkou-box-north"
        );
        let both = ["t".to_string(), "s".to_string()];
        assert_eq!(
            names.in_any(&both, "Yingkou/rail:yingkou-box-north"),
            "Yingkou → Jilin and Heilongjiang (boxes)"
        );
    }
}
