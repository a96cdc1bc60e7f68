//! Media calls: content in memory, as a stream, or downloaded to a file; deleted.

use std::borrow::Cow;
use std::fmt;
use std::future::Future;

use bytes::Bytes;
use http::{HeaderValue, Method, StatusCode};

use crate::client::IdvClient;
use crate::download::{self, DownloadInfo, DownloadTarget};
use crate::engine::{Budget, Call, deadline_in};
use crate::error::IdvError;
use crate::ids::{IntoId, MediaId, SessionId};
use crate::sessions::Deleted;
use crate::stream::ResponseStream;

/// The content of one media item, read into memory.
///
/// `Debug` shows the content type and the length, never the bytes (media are personal data).
#[derive(Clone)]
pub struct MediaContent {
    content_type: Option<String>,
    content_type_header: Option<String>,
    bytes: Bytes,
}

impl MediaContent {
    /// The content of a whole response with these headers.
    pub(crate) fn from_response(headers: &http::HeaderMap, bytes: Bytes) -> Self {
        let content_type_header = crate::stream::content_type_header(headers);
        Self {
            content_type: content_type_header
                .as_deref()
                .and_then(crate::content_type::bare_media_type),
            content_type_header,
            bytes,
        }
    }

    /// The media type without parameters, lower-cased (`image/jpeg`, `application/json`,
    /// `application/pdf`…); `None` when the response had no usable `Content-Type`.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The `Content-Type` header exactly as received, parameters included.
    pub fn content_type_header(&self) -> Option<&str> {
        self.content_type_header.as_deref()
    }

    /// The content.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// The content, consuming `self`.
    pub fn into_bytes(self) -> Bytes {
        self.bytes
    }

    /// The length of the content in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether the content is empty.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

impl fmt::Debug for MediaContent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MediaContent")
            .field("content_type", &self.content_type_header)
            .field("len", &self.bytes.len())
            .finish()
    }
}

fn media_path(session: &SessionId, media: &MediaId) -> String {
    format!("/sessions/{session}/media/{media}/content")
}

impl IdvClient {
    /// Retrieves the content of one media item into memory:
    /// `GET /sessions/{session_id}/media/{media_id}/content`.
    ///
    /// `Ok(None)` when the API answers `204 No Content` (the media has no content). A transient
    /// failure part-way through the body starts the request again, within the retry policy's
    /// attempts and the [download timeout](crate::IdvClientBuilder::download_timeout). For large
    /// items prefer [`get_media_stream`](Self::get_media_stream) or
    /// [`download_media`](Self::download_media).
    pub async fn get_media(
        &self,
        session_id: impl IntoId<SessionId>,
        media_id: impl IntoId<MediaId>,
    ) -> Result<Option<MediaContent>, IdvError> {
        let (session, media) = (session_id.into_id()?, media_id.into_id()?);
        self.with_media_body(&session, &media, |stream| async move {
            let content_type = stream.content_type().map(str::to_owned);
            let content_type_header = stream.content_type_header().map(str::to_owned);
            let bytes = stream.collect().await?;
            Ok(MediaContent {
                content_type,
                content_type_header,
                bytes,
            })
        })
        .await
    }

    /// Like [`get_media`](Self::get_media), returning the content as a stream of chunks once the
    /// response head has arrived (retries happen until then; a failure while reading the body
    /// is an error from [`ResponseStream::next_chunk`]).
    pub async fn get_media_stream(
        &self,
        session_id: impl IntoId<SessionId>,
        media_id: impl IntoId<MediaId>,
    ) -> Result<Option<ResponseStream>, IdvError> {
        let (session, media) = (session_id.into_id()?, media_id.into_id()?);
        let inner = self.inner();
        let mut budget = Budget::new(&inner.retry, deadline_in(inner.download_timeout));
        self.media_attempt(&session, &media, &mut budget).await
    }

    /// Downloads the content of one media item to `path`, atomically; see
    /// [`download_media_to`](Self::download_media_to).
    pub async fn download_media(
        &self,
        session_id: impl IntoId<SessionId>,
        media_id: impl IntoId<MediaId>,
        path: impl AsRef<std::path::Path>,
    ) -> Result<Option<DownloadInfo>, IdvError> {
        self.download_media_to(session_id, media_id, DownloadTarget::file(path.as_ref()))
            .await
    }

    /// Downloads the content of one media item to the file `target` names, which may depend
    /// on the response (a directory and a stem with the extension of the content type, or a
    /// function of the [`MediaHead`](crate::MediaHead)).
    ///
    /// The content is streamed into a temporary file in the target's directory (created
    /// exclusively, with a random name, mode `0600` on Unix), synced, and renamed to the
    /// final name in one step when complete. On any failure (an error, a truncated body, the
    /// returned future being dropped) the temporary file is removed: the final name never holds a
    /// partial file. A transient failure part-way through the body starts the download again,
    /// within the retry policy's attempts and the download timeout.
    ///
    /// `Ok(None)` when the media has no content (`204`); no file is created then.
    pub async fn download_media_to(
        &self,
        session_id: impl IntoId<SessionId>,
        media_id: impl IntoId<MediaId>,
        target: DownloadTarget,
    ) -> Result<Option<DownloadInfo>, IdvError> {
        let (session, media) = (session_id.into_id()?, media_id.into_id()?);
        target.check()?;
        self.with_media_body(&session, &media, |stream| {
            download::write_atomically(stream, &target)
        })
        .await
    }

    /// Deletes the content of one media item:
    /// `DELETE /sessions/{session_id}/media/{media_id}/content`.
    pub async fn delete_media(
        &self,
        session_id: impl IntoId<SessionId>,
        media_id: impl IntoId<MediaId>,
    ) -> Result<Deleted, IdvError> {
        let (session, media) = (session_id.into_id()?, media_id.into_id()?);
        self.delete_path(media_path(&session, &media)).await
    }

    /// One `GET` of the media (with the engine's retries until the head arrives).
    async fn media_attempt(
        &self,
        session: &SessionId,
        media: &MediaId,
        budget: &mut Budget,
    ) -> Result<Option<ResponseStream>, IdvError> {
        let inner = self.inner();
        let call = Call {
            method: Method::GET,
            path: Cow::Owned(media_path(session, media)),
            query: Vec::new(),
            body: Bytes::new(),
            content_type: None,
            accept: HeaderValue::from_static("*/*"),
            streaming: true,
            max_body_bytes: inner.max_media_bytes,
            idempotent: false,
        };
        let success = inner.execute(&call, budget).await?;
        if success.response.status() == StatusCode::NO_CONTENT {
            return Ok(None);
        }
        Ok(Some(ResponseStream::new(
            success,
            budget.deadline(),
            call.method,
            call.path.into_owned(),
        )))
    }

    /// Gets the media and consumes its body with `consume`; a transient failure mid-body
    /// starts the `GET` again. Restarts and retries share one budget: `max_attempts` bounds the
    /// requests of the whole call.
    async fn with_media_body<T, F, Fut>(
        &self,
        session: &SessionId,
        media: &MediaId,
        consume: F,
    ) -> Result<Option<T>, IdvError>
    where
        F: Fn(ResponseStream) -> Fut,
        Fut: Future<Output = Result<T, IdvError>>,
    {
        let inner = self.inner();
        let mut budget = Budget::new(&inner.retry, deadline_in(inner.download_timeout));
        loop {
            let Some(stream) = self.media_attempt(session, media, &mut budget).await? else {
                return Ok(None);
            };
            let error = match consume(stream).await {
                Ok(value) => return Ok(Some(value)),
                Err(e) => e.with_attempts(budget.made()),
            };
            let Some(delay) = budget.next_retry(&inner.retry, &Method::GET, false, &error) else {
                return Err(error);
            };
            tracing::info!(
                method = "GET",
                path = %media_path(session, media),
                attempt = budget.made(),
                error_kind = ?error.kind(),
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                "restarting IDV media download after a failure mid-body"
            );
            tokio::time::sleep(delay).await;
        }
    }
}
