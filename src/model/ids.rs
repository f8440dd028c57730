//! Typed indices into the model's tables.

macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);
        impl $name {
            /// The position in the model's table.
            #[inline]
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

id!(
    /// A port (Dalian, Yingkou…).
    PortId
);
id!(
    /// A port area within a port (Dayaowan, Bayuquan…), with its approach channel.
    AreaId
);
id!(
    /// A terminal within a port area.
    TerminalId
);
id!(
    /// One berth.
    BerthId
);
id!(
    /// A ship class.
    ShipClassId
);
id!(
    /// A demand flow.
    FlowId
);
id!(
    /// A liner service.
    ServiceId
);
id!(
    /// A hinterland region.
    RegionId
);
id!(
    /// A rail corridor.
    CorridorId
);
