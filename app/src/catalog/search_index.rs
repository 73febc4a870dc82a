//! Full-text search over the active catalog, with tantivy (ssr only).
//!
//! Why tantivy and not each database's own full-text search: the store must
//! behave the same on SQLite and PostgreSQL, and shoppers type `rtx4090`,
//! `wi-fi` or `keybord`. One in-process tantivy index, built from the database
//! at start and small enough to live in RAM (a few MB for 100k products),
//! gives identical tokenization, BM25 ranking and typo tolerance (Levenshtein
//! automata) on both. Filters, facets and sorting stay in SQL; this index only
//! answers "which product ids match, in what order".
//!
//! Normalization, applied identically to documents and queries: lowercase,
//! split on anything that is not a letter or digit, and split again where
//! letters meet digits (`RTX4090` → `rtx 4090`). Documents also index each
//! mixed token whole and every adjacent pair joined (`Wi-Fi` → `wifi`), so
//! spacing and punctuation do not matter either way.

use std::collections::HashMap;
use std::sync::{Mutex, RwLock};

use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, INDEXED, IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions, Value};
use tantivy::tokenizer::{LowerCaser, TextAnalyzer, WhitespaceTokenizer};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term, doc};

use crate::error::ServerError;

const TOKENIZER: &str = "octa";
/// Upper bound of hits a search returns to the listing (ranked).
pub const MAX_HITS: usize = 1000;
const STOP_WORDS: &[&str] = &["a", "an", "and", "the", "for", "with", "of", "in", "to", "on"];

/// Splits text into normalized search tokens.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        let lower = word.to_lowercase();
        let mut current = String::new();
        let mut last_digit: Option<bool> = None;
        for c in lower.chars() {
            let digit = c.is_ascii_digit();
            if last_digit.is_some_and(|d| d != digit) {
                out.push(std::mem::take(&mut current));
            }
            current.push(c);
            last_digit = Some(digit);
        }
        if !current.is_empty() {
            out.push(current);
        }
    }
    out
}

/// Tokens plus whole mixed words and joined neighbours, for documents.
fn index_terms(text: &str) -> Vec<String> {
    let base = tokens(text);
    let mut terms = base.clone();
    for pair in base.windows(2) {
        terms.push(format!("{}{}", pair[0], pair[1]));
    }
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        let lower = word.to_lowercase();
        if lower.chars().any(|c| c.is_ascii_digit()) && lower.chars().any(|c| c.is_alphabetic()) {
            terms.push(lower);
        }
    }
    terms
}

/// A product as the index sees it.
#[derive(Debug, Clone)]
pub struct SearchDoc {
    pub id: i32,
    pub name: String,
    pub brand: String,
    pub category: String,
    pub sku: String,
    pub description: String,
    pub specs: Vec<String>,
}

/// Ranked ids for one search.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchOutcome {
    pub ids: Vec<i32>,
    /// No product matched every word; these match some.
    pub relaxed: bool,
    /// A respelling of the query built from known words, when it differs.
    pub did_you_mean: Option<String>,
}

struct Fields {
    id: Field,
    name: Field,
    body: Field,
}

/// Known words and how many products use them, for "did you mean".
#[derive(Default)]
struct Vocabulary {
    counts: HashMap<String, u32>,
    /// Each product's words, so an edit or removal can take them back.
    of: HashMap<i32, Vec<String>>,
}

impl Vocabulary {
    fn add(&mut self, id: i32, words: Vec<String>) {
        self.remove(id);
        for w in &words {
            *self.counts.entry(w.clone()).or_default() += 1;
        }
        self.of.insert(id, words);
    }

    fn remove(&mut self, id: i32) {
        for w in self.of.remove(&id).unwrap_or_default() {
            if let Some(n) = self.counts.get_mut(&w) {
                *n -= 1;
                if *n == 0 {
                    self.counts.remove(&w);
                }
            }
        }
    }
}

/// The in-memory index: built with [`SearchIndex::rebuild`], kept current
/// one product at a time with [`SearchIndex::upsert`] and
/// [`SearchIndex::remove`] (an edit does not rebuild it).
pub struct SearchIndex {
    reader: IndexReader,
    /// The one writer (tantivy allows one per index); edits take turns.
    writer: Mutex<IndexWriter<TantivyDocument>>,
    fields: Fields,
    vocabulary: RwLock<Vocabulary>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").field("docs", &self.reader.searcher().num_docs()).finish()
    }
}

impl SearchIndex {
    pub fn new() -> Result<Self, ServerError> {
        let mut schema = Schema::builder();
        let text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default().set_tokenizer(TOKENIZER).set_index_option(IndexRecordOption::WithFreqs),
        );
        // Indexed too, so one product's document can be replaced by its id.
        let id = schema.add_u64_field("id", INDEXED | STORED);
        let name = schema.add_text_field("name", text.clone());
        let body = schema.add_text_field("body", text);
        let index = Index::create_in_ram(schema.build());
        index
            .tokenizers()
            .register(TOKENIZER, TextAnalyzer::builder(WhitespaceTokenizer::default()).filter(LowerCaser).build());
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        // 15 MB, tantivy's smallest arena: a rebuild of 100k products fits.
        let writer = Mutex::new(index.writer_with_num_threads(1, 15_000_000)?);
        Ok(Self { reader, writer, fields: Fields { id, name, body }, vocabulary: RwLock::default() })
    }

    fn writer(&self) -> std::sync::MutexGuard<'_, IndexWriter<TantivyDocument>> {
        self.writer.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn id_term(&self, id: i32) -> Term {
        Term::from_field_u64(self.fields.id, id as u64)
    }

    /// The document and the "did you mean" words of `d`.
    fn document(&self, d: &SearchDoc) -> (TantivyDocument, Vec<String>) {
        let name_terms = index_terms(&d.name).join(" ");
        let mut body = index_terms(&d.brand);
        body.extend(index_terms(&d.category));
        body.extend(index_terms(&d.sku));
        for s in &d.specs {
            body.extend(index_terms(s));
        }
        let mut words: Vec<String> = Vec::new();
        for t in tokens(&d.name).into_iter().chain(tokens(&d.brand)).chain(tokens(&d.category)) {
            if t.len() >= 3 && t.chars().all(char::is_alphabetic) && !words.contains(&t) {
                words.push(t);
            }
        }
        body.extend(index_terms(&d.description));
        let document = doc!(
            self.fields.id => d.id as u64,
            self.fields.name => name_terms,
            self.fields.body => body.join(" "),
        );
        (document, words)
    }

    /// Adds product `d` or replaces its document, visible to the next search.
    pub fn upsert(&self, d: &SearchDoc) -> Result<(), ServerError> {
        let (document, words) = self.document(d);
        let mut writer = self.writer();
        writer.delete_term(self.id_term(d.id));
        writer.add_document(document)?;
        writer.commit()?;
        self.reader.reload()?;
        drop(writer);
        self.vocabulary.write().unwrap_or_else(|e| e.into_inner()).add(d.id, words);
        Ok(())
    }

    /// Takes product `id` out of the index (deleted or made inactive).
    pub fn remove(&self, id: i32) -> Result<(), ServerError> {
        let mut writer = self.writer();
        writer.delete_term(self.id_term(id));
        writer.commit()?;
        self.reader.reload()?;
        drop(writer);
        self.vocabulary.write().unwrap_or_else(|e| e.into_inner()).remove(id);
        Ok(())
    }

    /// Builds an index of every active product in the database.
    #[tracing::instrument(skip_all)]
    pub async fn from_db(db: &DatabaseConnection) -> Result<Self, ServerError> {
        let index = Self::new()?;
        index.rebuild(load_docs(db).await?)?;
        Ok(index)
    }

    /// Replaces the whole index with `docs`.
    pub fn rebuild(&self, docs: Vec<SearchDoc>) -> Result<(), ServerError> {
        let mut writer = self.writer();
        writer.delete_all_documents()?;
        let mut vocabulary = Vocabulary::default();
        for d in &docs {
            let (document, words) = self.document(d);
            writer.add_document(document)?;
            vocabulary.add(d.id, words);
        }
        writer.commit()?;
        self.reader.reload()?;
        drop(writer);
        *self.vocabulary.write().unwrap_or_else(|e| e.into_inner()) = vocabulary;
        Ok(())
    }

    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// One word against `fields` (with their boosts): exact, fuzzy, and as a prefix if asked.
    fn token_query(&self, token: &str, prefix: bool, fields: &[(Field, f32)]) -> Box<dyn Query> {
        let mut parts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for &(field, boost) in fields {
            let term = Term::from_field_text(field, token);
            parts.push((
                Occur::Should,
                Box::new(BoostQuery::new(Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)), boost)),
            ));
            let alphabetic = token.chars().all(char::is_alphabetic);
            let len = token.chars().count();
            if alphabetic && len >= 4 {
                let distance = if len >= 8 { 2 } else { 1 };
                parts.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(FuzzyTermQuery::new(term.clone(), distance, true)), boost * 0.3)),
                ));
            }
            if prefix && len >= 2 {
                parts.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(FuzzyTermQuery::new_prefix(term, 0, false)), boost * 0.5)),
                ));
            }
        }
        Box::new(BooleanQuery::new(parts))
    }

    fn run(&self, query: &dyn Query, limit: usize) -> Result<Vec<i32>, ServerError> {
        let searcher = self.reader.searcher();
        let hits = searcher.search(query, &TopDocs::with_limit(limit).order_by_score())?;
        let mut ids = Vec::with_capacity(hits.len());
        for (_score, address) in hits {
            let stored: TantivyDocument = searcher.doc(address)?;
            if let Some(id) = stored.get_first(self.fields.id).and_then(|v| v.as_u64()) {
                ids.push(id as i32);
            }
        }
        Ok(ids)
    }

    /// Ranked ids of products matching `text`: every word (each may be
    /// misspelled a little, the last may be a prefix); if none match every
    /// word, those matching most words, flagged `relaxed`.
    pub fn search(&self, text: &str) -> Result<SearchOutcome, ServerError> {
        let words = query_words(text);
        if words.is_empty() {
            return Ok(SearchOutcome { ids: Vec::new(), relaxed: false, did_you_mean: None });
        }
        let last = words.len() - 1;
        let fields = [(self.fields.name, 3.0), (self.fields.body, 1.0)];
        let clauses: Vec<Box<dyn Query>> =
            words.iter().enumerate().map(|(i, w)| self.token_query(w, i == last, &fields)).collect();
        let strict = BooleanQuery::new(clauses.iter().map(|q| (Occur::Must, q.box_clone())).collect());
        let mut ids = self.run(&strict, MAX_HITS)?;
        let mut relaxed = false;
        if ids.is_empty() && words.len() > 1 {
            let loose = BooleanQuery::new(clauses.into_iter().map(|q| (Occur::Should, q)).collect());
            ids = self.run(&loose, MAX_HITS)?;
            relaxed = !ids.is_empty();
        }
        let did_you_mean = if ids.is_empty() || relaxed { self.respell(&words) } else { None };
        Ok(SearchOutcome { ids, relaxed, did_you_mean })
    }

    /// Type-ahead: products whose *name* matches every word, the last as a prefix.
    pub fn suggest(&self, text: &str, limit: usize) -> Result<Vec<i32>, ServerError> {
        let words = query_words(text);
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let last = words.len() - 1;
        let fields = [(self.fields.name, 1.0)];
        let clauses =
            words.iter().enumerate().map(|(i, w)| (Occur::Must, self.token_query(w, i == last, &fields))).collect();
        self.run(&BooleanQuery::new(clauses), limit)
    }

    /// Replaces unknown words with the closest known word (edit distance ≤ 2).
    fn respell(&self, words: &[String]) -> Option<String> {
        let vocabulary = self.vocabulary.read().unwrap_or_else(|e| e.into_inner());
        let vocabulary = &vocabulary.counts;
        let mut changed = false;
        let respelled: Vec<String> = words
            .iter()
            .map(|w| {
                if vocabulary.contains_key(w) || w.len() < 3 || !w.chars().all(char::is_alphabetic) {
                    return w.clone();
                }
                let max = if w.len() >= 7 { 2 } else { 1 };
                let best = vocabulary
                    .iter()
                    .filter_map(|(term, freq)| {
                        let d = levenshtein(w, term, max)?;
                        Some((d, std::cmp::Reverse(*freq), term))
                    })
                    .min();
                match best {
                    Some((_, _, term)) => {
                        changed = true;
                        term.clone()
                    }
                    None => w.clone(),
                }
            })
            .collect();
        changed.then(|| respelled.join(" "))
    }
}

/// Query words: normalized tokens without stop words (unless that leaves none).
fn query_words(text: &str) -> Vec<String> {
    let all = tokens(text);
    let kept: Vec<String> = all.iter().filter(|t| !STOP_WORDS.contains(&&t[..])).cloned().collect();
    let mut words = if kept.is_empty() { all } else { kept };
    words.truncate(12);
    words
}

/// Edit distance between `a` and `b` if it is at most `max`.
fn levenshtein(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            row_min = row_min.min(cur[j]);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    (prev[b.len()] <= max).then_some(prev[b.len()])
}

/// Reads every active product with what the index needs.
pub async fn load_docs<C: ConnectionTrait>(db: &C) -> Result<Vec<SearchDoc>, ServerError> {
    load(db, None).await
}

/// Product `id` as the index should hold it: `None` when it is inactive,
/// deleted or unknown (then it belongs out of the index).
pub async fn load_doc<C: ConnectionTrait>(db: &C, id: i32) -> Result<Option<SearchDoc>, ServerError> {
    Ok(load(db, Some(id)).await?.pop())
}

/// Brings product `id`'s document in line with the database: replaced
/// when the product is active, removed when not. Idempotent, so applying
/// it again (a second app server's event, a retry) changes nothing.
pub async fn refresh<C: ConnectionTrait>(index: &SearchIndex, db: &C, id: i32) -> Result<(), ServerError> {
    match load_doc(db, id).await? {
        Some(doc) => index.upsert(&doc),
        None => index.remove(id),
    }
}

/// Keeps this process's `index` current with product edits made on any app
/// server: each `ProductChanged` event on the bus refreshes that product
/// from the database. Missing events (the receiver fell behind) rebuilds
/// the whole index, since which products changed is then unknown.
pub async fn follow(
    index: std::sync::Arc<SearchIndex>,
    db: DatabaseConnection,
    mut events: tokio::sync::broadcast::Receiver<crate::events::domain::Envelope>,
) {
    use tokio::sync::broadcast::error::RecvError;
    loop {
        match events.recv().await {
            Ok(envelope) => {
                if let crate::events::domain::StoreEvent::ProductChanged { product_id, .. } = envelope.event
                    && let Err(e) = refresh(&index, &db, product_id).await
                {
                    tracing::error!(product_id, error = %e, "search index not refreshed");
                }
            }
            Err(RecvError::Lagged(missed)) => {
                tracing::warn!(missed, "search index fell behind the events: rebuilding it");
                let rebuilt = match load_docs(&db).await {
                    Ok(docs) => index.rebuild(docs),
                    Err(e) => Err(e),
                };
                if let Err(e) = rebuilt {
                    tracing::error!(error = %e, "search index not rebuilt");
                }
            }
            Err(RecvError::Closed) => break,
        }
    }
}

async fn load<C: ConnectionTrait>(db: &C, only: Option<i32>) -> Result<Vec<SearchDoc>, ServerError> {
    use entity::{brand, category, product, product_spec};
    let mut products = product::Entity::find().filter(product::Column::Active.eq(true));
    let mut spec_rows = product_spec::Entity::find();
    if let Some(id) = only {
        products = products.filter(product::Column::Id.eq(id));
        spec_rows = spec_rows.filter(product_spec::Column::ProductId.eq(id));
    }
    let products = products.all(db).await?;
    if products.is_empty() {
        return Ok(Vec::new());
    }
    let brands: HashMap<i32, String> =
        brand::Entity::find().all(db).await?.into_iter().map(|b| (b.id, b.name)).collect();
    let categories: HashMap<i32, String> =
        category::Entity::find().all(db).await?.into_iter().map(|c| (c.id, c.name)).collect();
    let mut specs: HashMap<i32, Vec<String>> = HashMap::new();
    for s in spec_rows.all(db).await? {
        specs.entry(s.product_id).or_default().push(s.value);
    }
    Ok(products
        .into_iter()
        .map(|p| SearchDoc {
            id: p.id,
            brand: brands.get(&p.brand_id).cloned().unwrap_or_default(),
            category: categories.get(&p.category_id).cloned().unwrap_or_default(),
            specs: specs.remove(&p.id).unwrap_or_default(),
            name: p.name,
            sku: p.sku,
            description: format!("{} {}", p.short_description, p.description),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: i32, name: &str, brand: &str, category: &str) -> SearchDoc {
        SearchDoc {
            id,
            name: name.into(),
            brand: brand.into(),
            category: category.into(),
            sku: format!("SKU-{id}"),
            description: String::new(),
            specs: vec![],
        }
    }

    fn sample() -> SearchIndex {
        let index = SearchIndex::new().unwrap();
        index
            .rebuild(vec![
                doc(1, "ASUS TUF Gaming GeForce RTX 4090 OC", "ASUS", "Graphics Cards"),
                doc(2, "Logitech G Pro X Superlight 2 Wireless", "Logitech", "Mice"),
                doc(3, "TP-Link Archer AX73 Wi-Fi 6 Router", "TP-Link", "Routers & Wi-Fi"),
                doc(4, "Corsair K70 RGB Mechanical Keyboard", "Corsair", "Keyboards"),
                doc(5, "MSI GeForce RTX 4070 Ti Super", "MSI", "Graphics Cards"),
            ])
            .unwrap();
        index
    }

    #[test]
    fn tokens_split_letters_from_digits() {
        assert_eq!(tokens("RTX4090"), ["rtx", "4090"]);
        assert_eq!(tokens("  Wi-Fi 6E!! "), ["wi", "fi", "6", "e"]);
        assert_eq!(index_terms("Wi-Fi"), ["wi", "fi", "wifi"]);
    }

    #[test]
    fn finds_despite_spacing_case_and_punctuation() {
        let index = sample();
        for q in ["rtx4090", "RTX 4090", "rtx-4090", "Rtx.4090"] {
            assert_eq!(index.search(q).unwrap().ids, [1], "{q}");
        }
        assert_eq!(index.search("wifi router").unwrap().ids, [3]);
    }

    #[test]
    fn tolerates_small_typos_and_suggests_spelling() {
        let index = sample();
        let out = index.search("keybord").unwrap();
        assert_eq!(out.ids, [4]);
        let out = index.search("logitec superlght").unwrap();
        assert_eq!(out.ids, [2]);
        let none = index.search("zzzzqqq").unwrap();
        assert!(none.ids.is_empty());
        let respelled = index.search("mechanicl qqqqqq").unwrap();
        assert!(respelled.relaxed);
        assert_eq!(respelled.did_you_mean.as_deref(), Some("mechanical qqqqqq"));
    }

    #[test]
    fn ranks_name_matches_and_supports_prefixes() {
        let index = sample();
        let out = index.search("geforce").unwrap();
        assert_eq!(out.ids.len(), 2);
        // The word being typed matches as a prefix first, then fuzzily ("superl" ~ "super").
        assert_eq!(index.suggest("superl", 5).unwrap().first(), Some(&2));
        assert_eq!(index.suggest("rtx 40", 5).unwrap().len(), 2);
    }

    #[test]
    fn an_edit_replaces_one_document_in_place() {
        let index = sample();
        assert_eq!(index.num_docs(), 5);
        index.upsert(&doc(4, "Corsair K100 Optical Keyboard", "Corsair", "Keyboards")).unwrap();
        assert_eq!(index.num_docs(), 5, "replaced, not added");
        assert!(index.search("mechanical").unwrap().ids.is_empty(), "the old name is gone");
        assert_eq!(index.search("optical").unwrap().ids, [4]);
        index.upsert(&doc(6, "Razer Viper Mini", "Razer", "Mice")).unwrap();
        assert_eq!(index.search("viper").unwrap().ids, [6]);
        index.remove(2).unwrap();
        assert!(index.search("superlight").unwrap().ids.is_empty());
        // "Did you mean" forgets the removed product's words and learns the new ones.
        assert_eq!(index.search("logitec").unwrap().did_you_mean, None);
        assert_eq!(index.search("viperr qqqqqq").unwrap().did_you_mean.as_deref(), Some("viper qqqqqq"));
    }

    #[test]
    fn levenshtein_is_bounded() {
        assert_eq!(levenshtein("keybord", "keyboard", 2), Some(1));
        assert_eq!(levenshtein("abc", "xyz", 2), None);
        assert_eq!(levenshtein("same", "same", 0), Some(0));
    }
}
