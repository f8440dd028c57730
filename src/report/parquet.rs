//! Tables in Parquet: the columnar, compressed form of `kpis` (a run's, or a sweep's with its
//! point columns) and a run's `calls`, readable by pandas, Polars, DuckDB and R's arrow.
//!
//! A [`Table`] is a set of named columns of one of three kinds — text (UTF-8, dictionary
//! encoded, so a name repeated on every row costs a few bits), whole numbers (INT64) and real
//! numbers (DOUBLE, nullable: an undefined value, an empty cell in the CSV, is a null). Each
//! [`ParquetWriter::write`] is one row group, so a sweep's assembled file is written a few
//! points at a time and the writer holds only the row group under way (and the footer).
//! Compression is Snappy, in pure Rust: the build needs no C library.
//!
//! The bytes depend only on the rows: no timestamps, and the writer's `created_by` is the
//! parquet crate's version, so the same results give the same file on any thread count.

use std::io::Write;
use std::sync::Arc;

use parquet::basic::{Compression, Encoding, LogicalType, Repetition, Type as PhysicalType};
use parquet::column::reader::{ColumnReader, get_typed_column_reader};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::reader::{ChunkReader, FileReader, SerializedFileReader};
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;

use crate::error::{Error, Result};

/// One column's values.
#[derive(Clone, Debug, PartialEq)]
pub enum Column {
    /// UTF-8 text.
    Text(Vec<String>),
    /// Whole numbers.
    Int(Vec<i64>),
    /// Real numbers; `None` is an undefined value (NaN in memory, an empty CSV cell).
    Real(Vec<Option<f64>>),
}

impl Column {
    /// The number of values.
    pub fn len(&self) -> usize {
        match self {
            Column::Text(v) => v.len(),
            Column::Int(v) => v.len(),
            Column::Real(v) => v.len(),
        }
    }

    /// Whether it holds no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// An empty column of the same kind.
    pub fn empty_like(&self) -> Column {
        match self {
            Column::Text(_) => Column::Text(Vec::new()),
            Column::Int(_) => Column::Int(Vec::new()),
            Column::Real(_) => Column::Real(Vec::new()),
        }
    }

    /// Appends `other`'s values (of the same kind).
    fn extend(&mut self, other: &Column) -> Result<()> {
        match (self, other) {
            (Column::Text(a), Column::Text(b)) => a.extend(b.iter().cloned()),
            (Column::Int(a), Column::Int(b)) => a.extend(b),
            (Column::Real(a), Column::Real(b)) => a.extend(b),
            _ => return Err(Error::Other("columns of different kinds".into())),
        }
        Ok(())
    }

    /// The value in row `i` as the CSV files write it (an undefined real is empty).
    pub fn cell(&self, i: usize) -> String {
        match self {
            Column::Text(v) => v[i].clone(),
            Column::Int(v) => v[i].to_string(),
            Column::Real(v) => v[i].map_or_else(String::new, |x| x.to_string()),
        }
    }
}

/// A real number as a Parquet cell: NaN (undefined) is null.
pub fn real(x: f64) -> Option<f64> {
    (!x.is_nan()).then_some(x)
}

/// Named columns of equal length.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    /// Column names, in order.
    pub names: Vec<String>,
    /// Columns, in the order of `names`.
    pub columns: Vec<Column>,
}

impl Table {
    /// A table with these columns (all of the same length).
    pub fn new(columns: Vec<(String, Column)>) -> Table {
        let (names, columns) = columns.into_iter().unzip();
        Table { names, columns }
    }

    /// The number of rows.
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, Column::len)
    }

    /// The column named `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.names
            .iter()
            .position(|n| n == name)
            .map(|i| &self.columns[i])
    }

    /// Rows `range` as a table of their own.
    pub fn slice(&self, range: std::ops::Range<usize>) -> Table {
        let columns = self
            .columns
            .iter()
            .map(|c| match c {
                Column::Text(v) => Column::Text(v[range.clone()].to_vec()),
                Column::Int(v) => Column::Int(v[range.clone()].to_vec()),
                Column::Real(v) => Column::Real(v[range.clone()].to_vec()),
            })
            .collect();
        Table {
            names: self.names.clone(),
            columns,
        }
    }

    /// Appends `other`'s rows; its columns must be this table's (names and kinds).
    ///
    /// # Errors
    /// If the columns differ.
    pub fn append(&mut self, other: &Table) -> Result<()> {
        if self.names.is_empty() && self.columns.is_empty() {
            *self = other.clone();
            return Ok(());
        }
        if self.names != other.names {
            return Err(Error::Other(format!(
                "tables with different columns ({} and {})",
                self.names.join(","),
                other.names.join(",")
            )));
        }
        for (a, b) in self.columns.iter_mut().zip(&other.columns) {
            a.extend(b)?;
        }
        Ok(())
    }

    fn schema(&self) -> Result<Type> {
        let mut fields = Vec::with_capacity(self.columns.len());
        for (n, c) in self.names.iter().zip(&self.columns) {
            let (physical, repetition) = match c {
                Column::Text(_) => (PhysicalType::BYTE_ARRAY, Repetition::REQUIRED),
                Column::Int(_) => (PhysicalType::INT64, Repetition::REQUIRED),
                Column::Real(_) => (PhysicalType::DOUBLE, Repetition::OPTIONAL),
            };
            let logical = matches!(c, Column::Text(_)).then_some(LogicalType::String);
            let field = Type::primitive_type_builder(n, physical)
                .with_repetition(repetition)
                .with_logical_type(logical)
                .build()
                .map_err(|e| Error::Other(format!("parquet column {n}: {e}")))?;
            fields.push(Arc::new(field));
        }
        Type::group_type_builder("portsim")
            .with_fields(fields)
            .build()
            .map_err(|e| Error::Other(format!("parquet schema: {e}")))
    }
}

fn parquet_err(what: &str) -> impl Fn(parquet::errors::ParquetError) -> Error + '_ {
    move |e| Error::Other(format!("{what}: {e}"))
}

/// Writes tables to one Parquet file, each [`write`](Self::write) a row group. The first
/// table fixes the columns.
pub struct ParquetWriter<W: Write + Send> {
    inner: Option<SerializedFileWriter<W>>,
    sink: Option<W>,
    names: Vec<String>,
    kinds: Vec<Column>,
    what: String,
}

impl<W: Write + Send> std::fmt::Debug for ParquetWriter<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParquetWriter")
            .field("what", &self.what)
            .field("names", &self.names)
            .finish_non_exhaustive()
    }
}

impl<W: Write + Send> ParquetWriter<W> {
    /// A writer to `sink`; `what` names the file in errors.
    pub fn new(sink: W, what: &str) -> ParquetWriter<W> {
        ParquetWriter {
            inner: None,
            sink: Some(sink),
            names: Vec::new(),
            kinds: Vec::new(),
            what: what.to_string(),
        }
    }

    /// Writes `table` as one row group.
    ///
    /// # Errors
    /// If its columns differ from the first table's, or writing fails.
    pub fn write(&mut self, table: &Table) -> Result<()> {
        let what = self.what.clone();
        let err = parquet_err(&what);
        if self.inner.is_none() {
            let sink = self.sink.take().expect("a sink until the first write");
            let schema = Arc::new(table.schema()?);
            self.inner = Some(
                SerializedFileWriter::new(sink, schema, Arc::new(properties(table)))
                    .map_err(&err)?,
            );
            self.names = table.names.clone();
            self.kinds = table.columns.iter().map(Column::empty_like).collect();
        } else if table.names != self.names
            || table
                .columns
                .iter()
                .zip(&self.kinds)
                .any(|(a, b)| std::mem::discriminant(a) != std::mem::discriminant(b))
        {
            return Err(Error::Other(format!(
                "{what}: a row group with other columns ({})",
                table.names.join(",")
            )));
        }
        let file = self.inner.as_mut().expect("opened above");
        let mut group = file.next_row_group().map_err(&err)?;
        for column in &table.columns {
            let mut w = group
                .next_column()
                .map_err(&err)?
                .ok_or_else(|| Error::Other(format!("{what}: more columns than the schema")))?;
            match column {
                Column::Text(v) => {
                    let bytes: Vec<ByteArray> =
                        v.iter().map(|s| ByteArray::from(s.as_str())).collect();
                    w.typed::<ByteArrayType>()
                        .write_batch(&bytes, None, None)
                        .map_err(&err)?;
                }
                Column::Int(v) => {
                    w.typed::<Int64Type>()
                        .write_batch(v, None, None)
                        .map_err(&err)?;
                }
                Column::Real(v) => {
                    let values: Vec<f64> = v.iter().flatten().copied().collect();
                    let defs: Vec<i16> = v.iter().map(|x| i16::from(x.is_some())).collect();
                    w.typed::<DoubleType>()
                        .write_batch(&values, Some(&defs), None)
                        .map_err(&err)?;
                }
            }
            w.close().map_err(&err)?;
        }
        group.close().map_err(&err)?;
        Ok(())
    }

    /// Finishes the file (an empty table's columns if nothing was written) and returns the
    /// sink.
    ///
    /// # Errors
    /// If writing fails, or nothing was written and no columns are known.
    pub fn finish(mut self, empty: &Table) -> Result<W> {
        if self.inner.is_none() {
            self.write(empty)?;
        }
        let what = self.what.clone();
        self.inner
            .take()
            .expect("opened")
            .into_inner()
            .map_err(parquet_err(&what))
    }
}

/// Snappy throughout; dictionaries for text (the default) and, for reals, byte-stream split
/// where no dictionary fits: it groups the bytes of the exponent together, which compress.
fn properties(table: &Table) -> WriterProperties {
    let mut p = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(None);
    for (n, c) in table.names.iter().zip(&table.columns) {
        if let Column::Real(_) = c {
            let path = parquet::schema::types::ColumnPath::new(vec![n.clone()]);
            p = p.set_column_encoding(path, Encoding::BYTE_STREAM_SPLIT);
        }
    }
    p.build()
}

/// A whole table as the bytes of a Parquet file (one row group).
///
/// # Errors
/// If writing fails.
pub fn to_parquet(table: &Table, what: &str) -> Result<Vec<u8>> {
    let mut w = ParquetWriter::new(Vec::new(), what);
    w.write(table)?;
    w.finish(table)
}

/// Reads a Parquet file written by [`ParquetWriter`], one table per row group.
///
/// # Errors
/// If the file is not Parquet or holds a column kind portsim does not write.
pub fn read_parquet<R: ChunkReader + 'static>(source: R, what: &str) -> Result<Vec<Table>> {
    let mut tables = Vec::new();
    for_each_row_group(source, what, |t| {
        tables.push(t);
        Ok(())
    })?;
    Ok(tables)
}

/// Calls `f` with each row group of a Parquet file in turn, so that a file larger than memory
/// is read a row group (a few of a sweep's points) at a time.
///
/// # Errors
/// As [`read_parquet`], and whatever `f` returns.
pub fn for_each_row_group<R: ChunkReader + 'static>(
    source: R,
    what: &str,
    mut f: impl FnMut(Table) -> Result<()>,
) -> Result<()> {
    let err = parquet_err(what);
    let reader = SerializedFileReader::new(source).map_err(&err)?;
    let names: Vec<String> = reader
        .metadata()
        .file_metadata()
        .schema_descr()
        .columns()
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    for g in 0..reader.num_row_groups() {
        let group = reader.get_row_group(g).map_err(&err)?;
        let rows = group.metadata().num_rows() as usize;
        let mut columns = Vec::with_capacity(names.len());
        for c in 0..names.len() {
            columns.push(read_column(
                group.get_column_reader(c).map_err(&err)?,
                rows,
                what,
            )?);
        }
        f(Table {
            names: names.clone(),
            columns,
        })?;
    }
    Ok(())
}

/// Reads the Parquet file at `path`.
///
/// # Errors
/// If it cannot be opened or read.
pub fn read_parquet_file(path: &std::path::Path) -> Result<Vec<Table>> {
    let file = std::fs::File::open(path)
        .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
    read_parquet(file, &path.display().to_string())
}

fn read_column(reader: ColumnReader, rows: usize, what: &str) -> Result<Column> {
    let err = parquet_err(what);
    Ok(match reader {
        ColumnReader::ByteArrayColumnReader(_) => {
            let mut r = get_typed_column_reader::<ByteArrayType>(reader);
            let mut values = Vec::with_capacity(rows);
            r.read_records(rows, None, None, &mut values)
                .map_err(&err)?;
            let text: Result<Vec<String>> = values
                .iter()
                .map(|b| {
                    b.as_utf8()
                        .map(str::to_string)
                        .map_err(|e| Error::Other(format!("{what}: {e}")))
                })
                .collect();
            Column::Text(text?)
        }
        ColumnReader::Int64ColumnReader(_) => {
            let mut r = get_typed_column_reader::<Int64Type>(reader);
            let mut values = Vec::with_capacity(rows);
            r.read_records(rows, None, None, &mut values)
                .map_err(&err)?;
            Column::Int(values)
        }
        ColumnReader::DoubleColumnReader(_) => {
            let mut r = get_typed_column_reader::<DoubleType>(reader);
            let (mut values, mut defs) = (Vec::new(), Vec::new());
            let (n, _, _) = r
                .read_records(rows, Some(&mut defs), None, &mut values)
                .map_err(&err)?;
            if defs.is_empty() {
                // A required column (written by another tool): every value present.
                short(n, values.len(), rows, what)?;
                Column::Real(values.into_iter().map(Some).collect())
            } else {
                short(n, defs.len(), rows, what)?;
                if defs.iter().filter(|&&d| d > 0).count() != values.len() {
                    return Err(Error::Other(format!(
                        "{what}: a column's values do not match its nulls"
                    )));
                }
                let mut it = values.into_iter();
                Column::Real(
                    defs.iter()
                        .map(|&d| if d > 0 { it.next() } else { None })
                        .collect(),
                )
            }
        }
        _ => {
            return Err(Error::Other(format!(
                "{what}: a column of a kind portsim does not write"
            )));
        }
    })
}

/// An error unless a column read `records` records and `values` values of the `rows` its
/// row group says it has.
fn short(records: usize, values: usize, rows: usize, what: &str) -> Result<()> {
    if records == rows && values == rows {
        Ok(())
    } else {
        Err(Error::Other(format!(
            "{what}: a column holds {values} of its row group's {rows} rows"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_reads_back_as_written() {
        let t = Table::new(vec![
            (
                "scenario".into(),
                Column::Text(vec!["a".into(), "b".into(), "".into()]),
            ),
            (
                "corridors[name=x].slots".into(),
                Column::Int(vec![1, -2, 3]),
            ),
            (
                "value".into(),
                Column::Real(vec![Some(1.5), None, Some(f64::INFINITY)]),
            ),
        ]);
        let bytes = to_parquet(&t, "test").unwrap();
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(&bytes).unwrap();
        let back = read_parquet(f, "test").unwrap();
        assert_eq!(back, vec![t]);
    }
}
