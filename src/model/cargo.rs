//! Cargo classes and the units they are counted in.

use std::fmt;

/// A class of cargo; every flow, berth and ship class handles one or more of these.
///
/// Tonnes are the common unit; containers are also counted in TEU (converted to tonnes by the
/// scenario's `t_per_teu`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CargoClass {
    /// Containers, counted in TEU.
    Container,
    /// Iron ore.
    IronOre,
    /// Coal.
    Coal,
    /// Grain (corn, soybeans…).
    Grain,
    /// Other dry bulk (ore powders, cement, salt, fertiliser…).
    OtherDryBulk,
    /// Crude oil.
    CrudeOil,
    /// Refined oil products.
    RefinedProducts,
    /// Liquid chemicals.
    LiquidChemicals,
    /// Liquefied natural gas.
    Lng,
    /// Steel and general cargo.
    SteelGeneral,
    /// Roll-on/roll-off cargo (vehicles and trailers), counted in tonnes.
    RoRo,
}

impl CargoClass {
    /// Every cargo class, in output order.
    pub const ALL: [CargoClass; 11] = [
        CargoClass::Container,
        CargoClass::IronOre,
        CargoClass::Coal,
        CargoClass::Grain,
        CargoClass::OtherDryBulk,
        CargoClass::CrudeOil,
        CargoClass::RefinedProducts,
        CargoClass::LiquidChemicals,
        CargoClass::Lng,
        CargoClass::SteelGeneral,
        CargoClass::RoRo,
    ];

    /// Number of cargo classes.
    pub const COUNT: usize = 11;

    /// The name used in scenario files and outputs.
    ///
    /// ```
    /// use portsim::model::CargoClass;
    /// assert_eq!(CargoClass::IronOre.name(), "iron_ore");
    /// assert_eq!(CargoClass::from_name("iron_ore"), Some(CargoClass::IronOre));
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            CargoClass::Container => "container",
            CargoClass::IronOre => "iron_ore",
            CargoClass::Coal => "coal",
            CargoClass::Grain => "grain",
            CargoClass::OtherDryBulk => "other_dry_bulk",
            CargoClass::CrudeOil => "crude_oil",
            CargoClass::RefinedProducts => "refined_products",
            CargoClass::LiquidChemicals => "liquid_chemicals",
            CargoClass::Lng => "lng",
            CargoClass::SteelGeneral => "steel_general",
            CargoClass::RoRo => "ro_ro",
        }
    }

    /// The class with this name, if any.
    pub fn from_name(name: &str) -> Option<CargoClass> {
        CargoClass::ALL.into_iter().find(|c| c.name() == name)
    }

    /// Position in [`CargoClass::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Whether this cargo is counted in TEU rather than tonnes.
    pub fn is_container(self) -> bool {
        self == CargoClass::Container
    }

    /// The unit a parcel or a flow of this cargo is given in: `"teu"` or `"t"`.
    pub fn unit(self) -> &'static str {
        if self.is_container() { "teu" } else { "t" }
    }
}

/// A cargo class's name (or any label made like one) in words, for charts and sentences:
/// `ro_ro` → "ro-ro", `lng` → "LNG", other underscores → spaces.
///
/// ```
/// use portsim::model::cargo_words;
/// assert_eq!(cargo_words("ro_ro"), "ro-ro");
/// assert_eq!(cargo_words("liquid_chemicals"), "liquid chemicals");
/// ```
pub fn cargo_words(name: &str) -> String {
    match name {
        "ro_ro" => "ro-ro".into(),
        "lng" => "LNG".into(),
        other => other.replace('_', " "),
    }
}

impl fmt::Display for CargoClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A set of cargo classes, as a bit set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct CargoSet(u16);

impl CargoSet {
    /// The empty set.
    pub fn empty() -> Self {
        CargoSet(0)
    }

    /// Adds a class.
    pub fn insert(&mut self, c: CargoClass) {
        self.0 |= 1 << c.index();
    }

    /// Whether the set holds `c`.
    pub fn contains(self, c: CargoClass) -> bool {
        self.0 & (1 << c.index()) != 0
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The classes in the set, in [`CargoClass::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = CargoClass> {
        CargoClass::ALL
            .into_iter()
            .filter(move |c| self.contains(*c))
    }
}

impl FromIterator<CargoClass> for CargoSet {
    fn from_iter<I: IntoIterator<Item = CargoClass>>(iter: I) -> Self {
        let mut s = CargoSet::empty();
        for c in iter {
            s.insert(c);
        }
        s
    }
}
