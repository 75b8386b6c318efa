#pragma once
// Owners of libwebp's encoder structures: the buffers libwebp allocates in them are freed by the
// matching libwebp call on every path out of the encoder. Any thread (each owner by one at a time).
#include <webp/encode.h>

#include <string_view>

namespace sonique::imaging::detail {

// A WebPPicture, initialised on construction and freed (WebPPictureFree) on destruction.
class WebpPicture {
  public:
    WebpPicture() noexcept : initialised_(WebPPictureInit(&picture_) != 0) {}
    ~WebpPicture() {
        if (initialised_) WebPPictureFree(&picture_);
    }
    WebpPicture(const WebpPicture&) = delete;
    WebpPicture& operator=(const WebpPicture&) = delete;

    // False when libwebp refused to initialise it (a header and library of different versions):
    // nothing else may then be done with it.
    bool initialised() const noexcept { return initialised_; }
    WebPPicture& get() noexcept { return picture_; }

  private:
    WebPPicture picture_{};
    bool initialised_;
};

// Where WebPEncode writes the encoded bytes (a WebPMemoryWriter), cleared on destruction.
class WebpMemoryWriter {
  public:
    WebpMemoryWriter() noexcept { WebPMemoryWriterInit(&writer_); }
    ~WebpMemoryWriter() { WebPMemoryWriterClear(&writer_); }
    WebpMemoryWriter(const WebpMemoryWriter&) = delete;
    WebpMemoryWriter& operator=(const WebpMemoryWriter&) = delete;

    // Makes picture's encoding write here; this writer must outlive that encoding.
    void attach(WebPPicture& picture) noexcept {
        picture.writer = WebPMemoryWrite;
        picture.custom_ptr = &writer_;
    }
    // The bytes written so far, valid until the next write or the destruction of this writer.
    std::string_view bytes() const noexcept {
        return {reinterpret_cast<const char*>(writer_.mem), writer_.size};
    }

  private:
    WebPMemoryWriter writer_{};
};

}  // namespace sonique::imaging::detail
