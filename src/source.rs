//! The text of every file read, so diagnostics can quote it.

use std::path::{Path, PathBuf};

/// Index of a file in [`Sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// Where a value sits in its file: 1-based line and column, and byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Span {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub col: u32,
    /// Byte offset from the start of the file (`u32::MAX` when unknown).
    pub offset: u32,
    /// Length in bytes.
    pub len: u32,
}

impl Span {
    /// True when the position is not known (saphyr reports line 0).
    pub fn is_unknown(&self) -> bool {
        self.line == 0
    }
}

/// A span in a particular file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Origin {
    /// The file the value is in.
    pub file: FileId,
    /// Where in that file.
    pub span: Span,
}

/// One file's path (as the user named it) and text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the user named it (on the command line or in an `include:`).
    pub path: PathBuf,
    /// The file's whole text, for quoting in diagnostics.
    pub text: String,
}

/// All files read for one command, indexed by [`FileId`].
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    /// Adds a file's path and text and returns its id.
    pub fn add(&mut self, path: PathBuf, text: String) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.files.push(SourceFile { path, text });
        id
    }

    /// The file with id `id`, if there is one.
    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    /// The path of file `id`, or `<unknown>` if there is none.
    pub fn path(&self, id: FileId) -> &Path {
        self.get(id).map_or(Path::new("<unknown>"), |f| &f.path)
    }

    /// How many files have been read.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// True when no file has been read.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Every file with its id, in the order they were read.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }
}
