//! Scenarios compiled into the binary; each is also a file under `scenarios/`.

/// A built-in scenario.
#[derive(Debug, Clone, Copy)]
pub struct Builtin {
    /// Its name (`portsim run NAME`).
    pub name: &'static str,
    /// One line on what it is.
    pub summary: &'static str,
    /// The TOML text.
    pub toml: &'static str,
}

macro_rules! builtins {
    ($( $name:literal => $path:literal, $summary:literal; )*) => {
        /// Every built-in scenario, in listing order.
        pub const ALL: &[Builtin] = &[
            $( Builtin { name: $name, summary: $summary, toml: include_str!(concat!("../../scenarios/", $path)) }, )*
        ];
    };
}

builtins! {
    "liaoning-2020" => "liaoning-2020.toml", "the six Liaoning coastal ports in 2020, calibrated to 820 Mt and 13.11 M TEU";
    "plan-2030-independent" => "plan-2030-independent.toml", "the six ports to 2030 with demand growth, each run on its own; defines the plan's projects";
    "plan-2030-integrated" => "plan-2030-integrated.toml", "plan-2030-independent operated as one cluster (integrated policy)";
    "plan-2030-integrated-projects" => "plan-2030-integrated-projects.toml", "plan-2030-integrated with all the plan's projects and shore power";
    "typhoon-2020" => "typhoon-2020.toml", "the 2020 baseline with typhoons Bavi and Maysak closing the open-coast ports on their dates";
    "plan-2030-hub-feeder" => "plan-2030-hub-feeder.toml", "plan-2030-integrated-projects with Yingkou's international boxes routed through Dalian (hub-feeder policy)";
    "mm1-rho50" => "validation/mm1-rho50.toml", "validation: M/M/1 at utilisation 0.5";
    "mm1-rho70" => "validation/mm1-rho70.toml", "validation: M/M/1 at utilisation 0.7";
    "mm1-rho90" => "validation/mm1-rho90.toml", "validation: M/M/1 at utilisation 0.9";
    "mm2-rho50" => "validation/mm2-rho50.toml", "validation: M/M/2 at utilisation 0.5";
    "mm2-rho70" => "validation/mm2-rho70.toml", "validation: M/M/2 at utilisation 0.7";
    "mm2-rho90" => "validation/mm2-rho90.toml", "validation: M/M/2 at utilisation 0.9";
    "mm4-rho50" => "validation/mm4-rho50.toml", "validation: M/M/4 at utilisation 0.5";
    "mm4-rho80" => "validation/mm4-rho80.toml", "validation: M/M/4 at utilisation 0.8 (the engine benchmark)";
    "mm4-rho90" => "validation/mm4-rho90.toml", "validation: M/M/4 at utilisation 0.9";
    "mm8-rho50" => "validation/mm8-rho50.toml", "validation: M/M/8 at utilisation 0.5";
    "mm8-rho70" => "validation/mm8-rho70.toml", "validation: M/M/8 at utilisation 0.7";
    "mm8-rho90" => "validation/mm8-rho90.toml", "validation: M/M/8 at utilisation 0.9";
}

/// The built-in scenario called `name`.
pub fn get(name: &str) -> Option<&'static Builtin> {
    ALL.iter().find(|b| b.name == name)
}

/// Names of all built-in scenarios.
pub fn names() -> Vec<&'static str> {
    ALL.iter().map(|b| b.name).collect()
}
